package io.prunestream.pruning;

import java.util.SplittableRandom;

/**
 * The k-th smallest of a float array in expected O(n): quickselect with random pivots and a three-way partition (so
 * many equal values, such as the zeros of an already pruned kernel, cost nothing extra). Works in place. The pruner
 * chose its thresholds with it until {@link RadixSelect} replaced it; kept as the baseline {@code bench/selection.sh}
 * measures that against.
 */
public final class Selection {

    private Selection() {
    }

    /**
     * The value that would be at index {@code k} (0-based) if {@code values} were sorted ascending. Reorders
     * {@code values}.
     */
    public static float kthSmallest(float[] values, int k) {
        if (k < 0 || k >= values.length) {
            throw new IllegalArgumentException("k: " + k + " is outside [0, " + values.length + ")");
        }
        // Fixed seed: the same input always takes the same path (and the same time).
        SplittableRandom random = new SplittableRandom(0x5eed);
        int low = 0;
        int high = values.length - 1;
        while (low < high) {
            float pivot = values[low + random.nextInt(high - low + 1)];
            // Three-way partition: [low, lt) < pivot, [lt, i) == pivot, (gt, high] > pivot.
            int lt = low;
            int gt = high;
            int i = low;
            while (i <= gt) {
                float v = values[i];
                if (v < pivot) {
                    swap(values, lt++, i++);
                } else if (v > pivot) {
                    swap(values, i, gt--);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                high = lt - 1;
            } else if (k > gt) {
                low = gt + 1;
            } else {
                return pivot;
            }
        }
        return values[low];
    }

    private static void swap(float[] values, int a, int b) {
        float t = values[a];
        values[a] = values[b];
        values[b] = t;
    }
}
