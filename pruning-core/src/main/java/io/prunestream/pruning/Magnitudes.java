package io.prunestream.pruning;

import java.util.BitSet;
import java.util.List;

/** Threshold and mask arithmetic shared by the threshold strategies. */
final class Magnitudes {

    private Magnitudes() {
    }

    static int pruneCount(long size, double sparsity) {
        return (int) Math.round(sparsity * size);
    }

    /** The largest magnitude that is pruned when the {@code count} smallest of {@code magnitudes} are. */
    static float threshold(float[] magnitudes, int count) {
        return count == 0 ? 0f : Selection.kthSmallest(magnitudes, count - 1);
    }

    static float[] of(float[] values) {
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        return magnitudes;
    }

    /**
     * Marks every weight below {@code threshold}, then weights equal to it, in the order of the layers and of their
     * positions, until {@code count} are marked in all: ties never push a result past its target.
     */
    static BitSet[] mark(List<LayerWeights> layers, float threshold, int count) {
        BitSet[] masks = new BitSet[layers.size()];
        int marked = 0;
        for (int l = 0; l < layers.size(); l++) {
            float[] values = layers.get(l).values();
            masks[l] = new BitSet(values.length);
            for (int i = 0; i < values.length; i++) {
                if (Math.abs(values[i]) < threshold) {
                    masks[l].set(i);
                    marked++;
                }
            }
        }
        for (int l = 0; l < layers.size() && marked < count; l++) {
            float[] values = layers.get(l).values();
            for (int i = 0; i < values.length && marked < count; i++) {
                if (Math.abs(values[i]) == threshold && !masks[l].get(i)) {
                    masks[l].set(i);
                    marked++;
                }
            }
        }
        return masks;
    }
}
