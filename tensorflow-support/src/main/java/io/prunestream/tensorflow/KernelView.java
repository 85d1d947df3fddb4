package io.prunestream.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How a conv or dense op sees a checkpoint variable: the reshapes and transposes between the variable and the op's
 * operand (in the order they apply), and which axes of that operand hold the op's output channels (negative: from
 * the end). A Keras Conv2D reads its HWIO kernel as it is (axis -1); an exporter that stores OIHW reads it through
 * {@code Transpose(perm=[2, 3, 1, 0])}, so its output channels are the variable's axis 0.
 */
public record KernelView(List<Transform> transforms, List<Integer> outputAxes) {

    /** One op between the variable and its consumer. */
    public sealed interface Transform permits Transpose, Reshape {
    }

    /** {@code Transpose}: output axis {@code k} is input axis {@code permutation[k]}. */
    public record Transpose(List<Integer> permutation) implements Transform {
        public Transpose {
            permutation = List.copyOf(permutation);
        }
    }

    /** {@code Reshape} to a constant shape (at most one -1); the row-major order of the values stays. */
    public record Reshape(List<Long> shape) implements Transform {
        public Reshape {
            shape = List.copyOf(shape);
        }
    }

    public KernelView {
        transforms = List.copyOf(transforms);
        outputAxes = List.copyOf(outputAxes);
    }

    /** A kernel read as it is stored, its output channels on the last axis. */
    public static KernelView lastAxis() {
        return new KernelView(List.of(), List.of(-1));
    }

    /**
     * The filters of a variable of this shape, or empty when the transforms do not fit the shape or move the output
     * channels apart (then no stride describes them).
     */
    public Optional<FilterLayout> filterLayout(long[] variableShape) {
        List<long[]> shapes = new ArrayList<>();
        shapes.add(variableShape);
        for (Transform transform : transforms) {
            long[] next = apply(transform, shapes.get(shapes.size() - 1));
            if (next == null) {
                return Optional.empty();
            }
            shapes.add(next);
        }
        long[] operand = shapes.get(shapes.size() - 1);
        TreeSet<Integer> axes = new TreeSet<>();
        for (int axis : outputAxes) {
            int normalised = axis < 0 ? operand.length + axis : axis;
            if (normalised < 0 || normalised >= operand.length) {
                return Optional.empty();
            }
            axes.add(normalised);
        }
        // Walk back from the operand to the variable: a transpose moves axes, a reshape keeps the flat order.
        long[] flat = null;
        for (int t = transforms.size() - 1; t >= 0; t--) {
            long[] after = shapes.get(t + 1);
            if (transforms.get(t) instanceof Transpose transpose) {
                if (flat != null) {
                    axes = axesOf(flat, after);
                    flat = null;
                    if (axes == null) {
                        return Optional.empty();
                    }
                }
                TreeSet<Integer> moved = new TreeSet<>();
                axes.forEach(a -> moved.add(transpose.permutation().get(a)));
                axes = moved;
            } else if (flat == null) {
                flat = strideAndCount(axes, after);
                if (flat == null) {
                    return Optional.empty();
                }
            }
        }
        if (flat == null) {
            flat = strideAndCount(axes, variableShape);
        }
        if (flat == null || flat[1] > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new FilterLayout((int) flat[1], flat[0]));
    }

    /** The shape {@code transform} turns {@code shape} into; null when it does not fit. */
    static long[] apply(Transform transform, long[] shape) {
        if (transform instanceof Transpose transpose) {
            List<Integer> perm = transpose.permutation();
            if (perm.size() != shape.length || new TreeSet<>(perm).size() != shape.length) {
                return null;
            }
            long[] out = new long[shape.length];
            for (int k = 0; k < out.length; k++) {
                int from = perm.get(k);
                if (from < 0 || from >= shape.length) {
                    return null;
                }
                out[k] = shape[from];
            }
            return out;
        }
        List<Long> target = ((Reshape) transform).shape();
        long size = product(shape, 0, shape.length);
        long known = 1;
        int free = -1;
        long[] out = new long[target.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = target.get(k);
            if (out[k] == -1 && free < 0) {
                free = k;
            } else if (out[k] < 0) {
                return null;
            } else {
                known *= out[k];
            }
        }
        if (free >= 0) {
            if (known == 0 || size % known != 0) {
                return null;
            }
            out[free] = size / known;
        }
        return product(out, 0, out.length) == size ? out : null;
    }

    /** {stride, count} of axes that sit together (axes of size 1 between them do not matter); null otherwise. */
    private static long[] strideAndCount(TreeSet<Integer> axes, long[] shape) {
        for (int a = axes.first(); a <= axes.last(); a++) {
            if (!axes.contains(a) && shape[a] != 1) {
                return null;
            }
        }
        return new long[] {product(shape, axes.last() + 1, shape.length), product(shape, axes.first(),
                axes.last() + 1)};
    }

    /** The axes of {@code shape} that a {stride, count} spans, or null when no run of axes does. */
    private static TreeSet<Integer> axesOf(long[] flat, long[] shape) {
        for (int last = shape.length - 1; last >= 0; last--) {
            if (product(shape, last + 1, shape.length) != flat[0]) {
                continue;
            }
            for (int first = last; first >= 0; first--) {
                if (product(shape, first, last + 1) == flat[1]) {
                    TreeSet<Integer> axes = new TreeSet<>();
                    for (int a = first; a <= last; a++) {
                        axes.add(a);
                    }
                    return axes;
                }
            }
        }
        return null;
    }

    private static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p = Math.multiplyExact(p, shape[i]);
        }
        return p;
    }

    @Override
    public String toString() {
        return "KernelView" + transforms + " output axes " + Arrays.toString(outputAxes.toArray());
    }
}
