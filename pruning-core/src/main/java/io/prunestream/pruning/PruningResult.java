package io.prunestream.pruning;

import java.util.List;

/** A whole model's pruning: per-layer results, the achieved sparsity over all prunable weights, storage sizes. */
public record PruningResult(String method, String thresholdScope, String recoveryScope, double targetSparsity,
        List<LayerResult> layers) {

    public PruningResult {
        layers = List.copyOf(layers);
    }

    public long parameters() {
        return layers.stream().mapToLong(LayerResult::parameters).sum();
    }

    public long pruned() {
        return layers.stream().mapToLong(LayerResult::pruned).sum();
    }

    public double achievedSparsity() {
        long parameters = parameters();
        return parameters == 0 ? 0 : (double) pruned() / parameters;
    }

    /** 4 bytes per weight, as the kernels are stored dense. */
    public long denseBytes() {
        return 4 * parameters();
    }

    /** Mask + kept values + recovery constants, summed over layers. */
    public long storageBytes() {
        return layers.stream().mapToLong(LayerResult::storageBytes).sum();
    }
}
