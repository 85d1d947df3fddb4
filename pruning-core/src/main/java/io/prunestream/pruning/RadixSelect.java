package io.prunestream.pruning;

import java.util.stream.IntStream;

/**
 * The k-th smallest magnitude |w| over several float arrays, exactly, in three streaming passes: the magnitude's bits
 * (sign cleared) order non-negative floats as the floats themselves order (+0 before the subnormals before the normals
 * before infinity), so a histogram of the top 11 bits finds the bucket that holds rank k, one of the next 11 bits
 * within it, and one of the last 9 bits the value. Each pass runs over chunks of the arrays on every core (the common
 * fork-join pool), with one small histogram per chunk and nothing allocated per weight; the arrays are only read.
 */
public final class RadixSelect {

    /** Elements per parallel task: large enough that a task's histogram costs nothing against its pass. */
    static final int CHUNK = 1 << 18;

    private static final int[] SHIFTS = {20, 9, 0};
    private static final int[] WIDTHS = {11, 11, 9};

    private RadixSelect() {
    }

    /**
     * The value that would be at index {@code k} (0-based) if the magnitudes of every element of {@code arrays} were
     * sorted ascending; -0.0 counts as +0.0. {@code arrays} is iterated once per pass (three times), so it may read
     * each array when asked and let it go: a model's kernels need not be in memory together.
     *
     * @throws IllegalArgumentException if k is outside the elements, or an element is NaN (naming where)
     */
    public static float kthSmallestMagnitude(Iterable<float[]> arrays, long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k: " + k + " is negative");
        }
        int prefix = 0;
        int prefixBits = 0;
        long rank = k;
        for (int pass = 0; pass < SHIFTS.length; pass++) {
            long[] histogram = new long[1 << WIDTHS[pass]];
            for (float[] values : arrays) {
                add(histogram, histogram(values, pass, prefix, prefixBits));
            }
            if (pass == 0) {
                long total = 0;
                for (long count : histogram) {
                    total += count;
                }
                if (k >= total) {
                    throw new IllegalArgumentException("k: " + k + " is outside [0, " + total + ")");
                }
            }
            int bucket = 0;
            while (rank >= histogram[bucket]) {
                rank -= histogram[bucket];
                bucket++;
            }
            prefix = (prefix << WIDTHS[pass]) | bucket;
            prefixBits += WIDTHS[pass];
        }
        if (prefix > 0x7F800000) {
            throw new IllegalArgumentException("a weight is NaN: magnitudes have no order");
        }
        return Float.intBitsToFloat(prefix);
    }

    /**
     * Counts, per digit of this pass, the magnitudes of {@code values} whose higher {@code prefixBits} bits are
     * {@code prefix}, over chunks of the array in parallel.
     */
    private static long[] histogram(float[] values, int pass, int prefix, int prefixBits) {
        int shift = SHIFTS[pass];
        int mask = (1 << WIDTHS[pass]) - 1;
        // The bits above this pass's digit, as they stand in the 31-bit magnitude.
        int above = shift + WIDTHS[pass];
        int chunks = (values.length + CHUNK - 1) / CHUNK;
        return IntStream.range(0, chunks).parallel().mapToObj(c -> {
            long[] counts = new long[mask + 1];
            int to = Math.min(values.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < to; i++) {
                int bits = Float.floatToRawIntBits(values[i]) & 0x7FFFFFFF;
                if (prefixBits == 0 || bits >>> above == prefix) {
                    counts[(bits >>> shift) & mask]++;
                }
            }
            return counts;
        }).reduce(new long[mask + 1], (a, b) -> {
            long[] sum = new long[a.length];
            add(sum, a);
            add(sum, b);
            return sum;
        });
    }

    private static void add(long[] sum, long[] counts) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += counts[i];
        }
    }
}
