package io.prunestream.pruning.structured;

import java.util.Arrays;

/** Keeps some indices of one axis of a row-major tensor: how a layer loses whole filters or input channels. */
public final class ChannelSlice {

    private ChannelSlice() {
    }

    /**
     * @param keep increasing indices of axis {@code axis} (see {@link FilterRanking#requireValid})
     * @return the values of the smaller tensor, row-major, whose axis {@code axis} is {@code keep.length} long
     */
    public static float[] keep(float[] values, long[] shape, int axis, int[] keep) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " of a tensor of shape " + Arrays.toString(shape));
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        long dim = shape[axis];
        if (outer * dim * inner != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length
                    + " values");
        }
        FilterRanking.requireValid("axis " + axis, keep, (int) dim);
        int block = Math.toIntExact(inner);
        float[] result = new float[Math.toIntExact(outer * keep.length * inner)];
        int to = 0;
        for (long o = 0; o < outer; o++) {
            for (int k : keep) {
                System.arraycopy(values, Math.toIntExact((o * dim + k) * inner), result, to, block);
                to += block;
            }
        }
        return result;
    }

    /** The shape after {@link #keep}. */
    public static long[] shape(long[] shape, int axis, int kept) {
        long[] result = shape.clone();
        result[axis] = kept;
        return result;
    }
}
