package io.prunestream.tensorflow.testing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The pruning rule written out plainly, for tests to check the pruner against: sort a kernel's weights by magnitude
 * (ties by position), prune the round(s x N) smallest, and set them to zero or to the mean of the pruned values of
 * their output filter; and which output filter each value of a fixture's kernels feeds, as the fixture's own network
 * reads them (not as the graph reader concludes).
 */
public final class IndependentPruning {

    /** Each kernel's output filters, in kernel order: {filters, stride}; value i feeds (i / stride) % filters. */
    private static final Map<ForeignModel.Kind, List<long[]>> FILTERS = Map.of(
            ForeignModel.Kind.KERAS_CNN, List.of(new long[] {32, 1}, new long[] {64, 1}, new long[] {128, 1},
                    new long[] {10, 1}),
            ForeignModel.Kind.KERAS_CNN_BN, List.of(new long[] {32, 1}, new long[] {64, 1}, new long[] {10, 1}),
            ForeignModel.Kind.KERAS_MLP_FLAT, List.of(new long[] {128, 1}, new long[] {10, 1}),
            ForeignModel.Kind.KERAS_MLP_RAW, List.of(new long[] {128, 1}, new long[] {10, 1}),
            // OIHW [32, 1, 3, 3] read through Transpose; [out, in] weights read with transpose_b.
            ForeignModel.Kind.OIHW_EXPORT, List.of(new long[] {32, 9}, new long[] {128, 5408}, new long[] {10, 128}),
            // Depthwise [3, 3, 1, 16]: channel c * 16 + m; Einsum "abc,cd->abd"; BatchMatMulV2(adj_y) on [10, 5408].
            ForeignModel.Kind.OPS_ZOO, List.of(new long[] {16, 1}, new long[] {32, 1}, new long[] {10, 5408}),
            // BatchMatMulV2 of rank-3 tokens by [28, 24]; a [672, 10] MatMul.
            ForeignModel.Kind.TOKEN_MLP, List.of(new long[] {24, 1}, new long[] {10, 1}));

    private IndependentPruning() {
    }

    /** {filters, stride} of each kernel of {@code kind}, in {@link ForeignModel#kernels()} order. */
    public static List<long[]> filters(ForeignModel.Kind kind) {
        return FILTERS.get(kind);
    }

    /**
     * Where two arrays first differ (bit for bit, so NaN equals NaN and 0 does not equal -0), or -1 when they hold the
     * same values: a kernel-sized comparison that names its first mismatch, as AssertJ's element-wise one on arrays
     * of hundreds of thousands of repeated values takes minutes to.
     */
    public static int firstDifference(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            return Math.min(actual.length, expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                return i;
            }
        }
        return -1;
    }

    /** {@code values} with the round(sparsity x N) smallest magnitudes zeroed, or set to their filter's mean. */
    public static float[] prune(float[] values, double sparsity, boolean filterMean, long[] filters) {
        int n = values.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Math.abs(values[i])).thenComparingInt(i -> i));
        boolean[] pruned = new boolean[n];
        for (int r = 0; r < Math.round(sparsity * n); r++) {
            pruned[order[r]] = true;
        }
        int count = (int) filters[0];
        double[] sums = new double[count];
        int[] counts = new int[count];
        for (int i = 0; i < n; i++) {
            if (pruned[i]) {
                int filter = (int) ((i / filters[1]) % count);
                sums[filter] += values[i];
                counts[filter]++;
            }
        }
        float[] out = values.clone();
        for (int i = 0; i < n; i++) {
            if (pruned[i]) {
                int filter = (int) ((i / filters[1]) % count);
                out[i] = filterMean ? (float) (sums[filter] / counts[filter]) : 0f;
            }
        }
        return out;
    }
}
