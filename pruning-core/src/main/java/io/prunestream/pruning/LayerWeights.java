package io.prunestream.pruning;

import java.util.Arrays;

/**
 * One prunable kernel: its name, its values (row-major) and its shape; a filter is an index of the last axis, so
 * value {@code i} belongs to filter {@code i % filters()}. The array is shared, not copied.
 */
public record LayerWeights(String name, float[] values, long[] shape) {

    public LayerWeights {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
        }
        if (shape.length == 0 || size != values.length) {
            throw new IllegalArgumentException("layer " + name + ": shape " + Arrays.toString(shape) + " does not hold "
                    + values.length + " values");
        }
    }

    public int filters() {
        return (int) shape[shape.length - 1];
    }

    public int size() {
        return values.length;
    }

    /** Refuses NaN and infinite weights, naming the first one found. */
    public void requireFinite() throws PruningException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new PruningException("layer " + name + " holds " + values[i] + " at index " + i
                        + "; NaN and infinite weights cannot be pruned");
            }
        }
    }
}
