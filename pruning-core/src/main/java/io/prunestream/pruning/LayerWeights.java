package io.prunestream.pruning;

import java.util.Arrays;

/**
 * One prunable kernel: its name, its values (row-major), its shape, and which output filter each value feeds. Value
 * {@code i} belongs to filter {@code (i / filterStride) % filters}: for a kernel whose last axis is the output
 * (Conv2D's HWIO, MatMul's {@code [in, out]}) that is {@code i % filters}; a kernel stored {@code [out, in]} and read
 * transposed has {@code filterStride = in}. The consuming op defines the output axis, not the kernel's shape, so
 * whoever reads the graph says which it is. The array is shared, not copied.
 */
public record LayerWeights(String name, float[] values, long[] shape, int filters, long filterStride) {

    public LayerWeights {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
        }
        if (shape.length == 0 || size != values.length) {
            throw new IllegalArgumentException("layer " + name + ": shape " + Arrays.toString(shape) + " does not hold "
                    + values.length + " values");
        }
        if (filters < 1 || filterStride < 1 || size % ((long) filters * filterStride) != 0) {
            throw new IllegalArgumentException("layer " + name + ": " + filters + " filters of stride " + filterStride
                    + " do not tile shape " + Arrays.toString(shape));
        }
    }

    /** A kernel whose output filters are its last axis. */
    public LayerWeights(String name, float[] values, long[] shape) {
        this(name, values, shape, shape.length == 0 ? 1 : (int) shape[shape.length - 1], 1);
    }

    /** The output filter value {@code i} belongs to. */
    public int filterOf(int i) {
        return (int) ((i / filterStride) % filters);
    }

    public int size() {
        return values.length;
    }

    /** What is wrong with the first NaN or infinite weight, or null when every weight is finite. */
    public String nonFinite() {
        // The largest magnitude's bits, branch-free; only a layer that holds one is read again to name it.
        int largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Float.floatToRawIntBits(value) & 0x7FFFFFFF);
        }
        if (largest < 0x7F800000) {
            return null;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return "layer " + name + " holds " + values[i] + " at index " + i
                        + "; NaN and infinite weights cannot be pruned";
            }
        }
        throw new IllegalStateException("unreachable: a non-finite magnitude was seen");
    }
}
