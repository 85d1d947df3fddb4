package io.prunestream.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A kernel's values as its op takes them and back: the variable's values put through the transposes and reshapes of
 * its {@link KernelView} (an exporter's OIHW kernel read through {@code Transpose(perm=[2, 3, 1, 0])} becomes the HWIO
 * kernel its Conv2D sees), so that what is computed for the op's operand can be written back in the variable's
 * layout. A reshape keeps the row-major order of the values; a transpose moves them.
 */
public final class OperandLayout {

    private final List<KernelView.Transform> transforms;
    private final List<long[]> shapes;

    private OperandLayout(List<KernelView.Transform> transforms, List<long[]> shapes) {
        this.transforms = transforms;
        this.shapes = shapes;
    }

    /** The layout of a variable of {@code variableShape} read through {@code view}; empty when a transform misfits. */
    public static Optional<OperandLayout> of(KernelView view, long[] variableShape) {
        List<long[]> shapes = new ArrayList<>();
        shapes.add(variableShape.clone());
        for (KernelView.Transform transform : view.transforms()) {
            long[] next = KernelView.apply(transform, shapes.get(shapes.size() - 1));
            if (next == null) {
                return Optional.empty();
            }
            shapes.add(next);
        }
        return Optional.of(new OperandLayout(view.transforms(), shapes));
    }

    /** The shape the op sees. */
    public long[] operandShape() {
        return shapes.get(shapes.size() - 1).clone();
    }

    /** {@code values}, in the variable's layout, as the op sees them. */
    public float[] toOperand(float[] values) {
        float[] current = values;
        for (int t = 0; t < transforms.size(); t++) {
            if (transforms.get(t) instanceof KernelView.Transpose transpose) {
                current = transpose(current, shapes.get(t), transpose.permutation(), false);
            }
        }
        return current;
    }

    /** {@code values}, in the op's layout, as the variable stores them. */
    public float[] toVariable(float[] values) {
        float[] current = values;
        for (int t = transforms.size() - 1; t >= 0; t--) {
            if (transforms.get(t) instanceof KernelView.Transpose transpose) {
                current = transpose(current, shapes.get(t), transpose.permutation(), true);
            }
        }
        return current;
    }

    /**
     * Output axis {@code k} of the transpose of {@code input} (of shape {@code before}) is its axis
     * {@code perm[k]}; {@code inverse}: {@code values} is that output, and the input is returned.
     */
    private static float[] transpose(float[] values, long[] before, List<Integer> perm, boolean inverse) {
        int rank = before.length;
        long[] after = new long[rank];
        for (int k = 0; k < rank; k++) {
            after[k] = before[perm.get(k)];
        }
        long[] strideBefore = strides(before);
        // The input's stride of each output axis: walking the output in order reads the input at these steps.
        long[] step = new long[rank];
        for (int k = 0; k < rank; k++) {
            step[k] = strideBefore[perm.get(k)];
        }
        float[] out = new float[values.length];
        int[] index = new int[rank];
        long from = 0;
        for (int i = 0; i < values.length; i++) {
            if (inverse) {
                out[(int) from] = values[i];
            } else {
                out[i] = values[(int) from];
            }
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                from += step[k];
                if (index[k] < after[k]) {
                    break;
                }
                from -= step[k] * after[k];
                index[k] = 0;
            }
        }
        return out;
    }

    private static long[] strides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= shape[k];
        }
        return strides;
    }
}
