package io.prunestream.pruning;

import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/** Threshold and mask arithmetic shared by the threshold strategies; both run over the layers on every core. */
final class Magnitudes {

    private Magnitudes() {
    }

    static int pruneCount(long size, double sparsity) {
        return (int) Math.round(sparsity * size);
    }

    /**
     * The largest magnitude that is pruned when the {@code count} smallest magnitudes of all {@code layers} are
     * ({@link RadixSelect}; the weights are only read).
     */
    static float threshold(List<LayerWeights> layers, long count) {
        return count == 0 ? 0f : RadixSelect.kthSmallestMagnitude(layers.stream().map(LayerWeights::values).toList(),
                count - 1);
    }

    /**
     * Marks every weight below {@code threshold}, then weights equal to it, in the order of the layers and of their
     * positions, until {@code count} are marked in all: ties never push a result past its target. One parallel pass
     * over the layers marks what is below and counts what is equal; how many ties each layer takes follows from the
     * layers before it, and only the layers that take some are read again, up to their last tie taken.
     */
    static BitSet[] mark(List<LayerWeights> layers, float threshold, int count) {
        Below[] below = IntStream.range(0, layers.size()).parallel()
                .mapToObj(l -> below(layers.get(l).values(), threshold)).toArray(Below[]::new);
        long[] ties = ties(below, count);
        BitSet[] masks = new BitSet[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            if (ties[l] > 0) {
                takeTies(layers.get(l).values(), threshold, ties[l], below[l].words());
            }
            masks[l] = BitSet.valueOf(below[l].words());
        }
        return masks;
    }

    /**
     * How many weights equal to the threshold each layer takes, in the order of the layers, so that {@code count}
     * are marked in all with every weight below it.
     */
    static long[] ties(Below[] below, long count) {
        long left = count;
        for (Below layer : below) {
            left -= layer.count();
        }
        long[] ties = new long[below.length];
        for (int l = 0; l < below.length; l++) {
            ties[l] = Math.min(below[l].equal(), Math.max(0, left));
            left -= ties[l];
        }
        return ties;
    }

    /** A layer's weights below the threshold as the words of a bit set, how many, and how many equal it. */
    record Below(long[] words, long count, long equal) {
    }

    static Below below(float[] values, float threshold) {
        long[] words = new long[(values.length + 63) >>> 6];
        long count = 0;
        long equal = 0;
        for (int i = 0; i < values.length; i++) {
            float m = Math.abs(values[i]);
            if (m < threshold) {
                words[i >>> 6] |= 1L << i;
                count++;
            } else if (m == threshold) {
                equal++;
            }
        }
        return new Below(words, count, equal);
    }

    /** Sets the bits of the first {@code ties} weights equal to {@code threshold}, by position. */
    private static void takeTies(float[] values, float threshold, long ties, long[] words) {
        long taken = 0;
        for (int i = 0; i < values.length && taken < ties; i++) {
            if (Math.abs(values[i]) == threshold) {
                words[i >>> 6] |= 1L << i;
                taken++;
            }
        }
    }
}
