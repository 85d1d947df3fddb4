package io.prunestream.pruning;

import java.util.List;

/**
 * Chooses which weights to prune by magnitude. Every implementation prunes exactly round(sparsity x size) weights
 * over the set it ranks (a layer, or all layers), the smallest |w| first, ties broken by position, so the result is
 * deterministic.
 */
public interface ThresholdStrategy {

    /** The scope's name as events carry it: {@code layer} or {@code global}. */
    String scope();

    /** One mask per layer, in the order of {@code layers}. */
    List<Mask> masks(List<LayerWeights> layers, double sparsity);

    /**
     * The same masks as {@link #masks} for layers read one at a time from {@code source}, in any order: whatever
     * needs every layer (a global threshold) is found by reading them before this returns.
     */
    LayerMasks masks(LayerSource source, double sparsity);

    /** Each layer's mask, given the layer as the source read it. */
    @FunctionalInterface
    interface LayerMasks {
        Mask mask(int index, LayerWeights layer);
    }
}
