package io.prunestream.pruning;

import java.util.BitSet;
import java.util.List;

/** Each layer gets its own threshold: every layer ends within one weight of the target sparsity. */
public final class LayerThreshold implements ThresholdStrategy {

    @Override
    public String scope() {
        return "layer";
    }

    @Override
    public List<Mask> masks(List<LayerWeights> layers, double sparsity) {
        // Layers are independent: each on its own core.
        return layers.parallelStream().map(layer -> {
            int count = Magnitudes.pruneCount(layer.size(), sparsity);
            float threshold = Magnitudes.threshold(List.of(layer), count);
            BitSet pruned = Magnitudes.mark(List.of(layer), threshold, count)[0];
            return new Mask(pruned, count, threshold);
        }).toList();
    }
}
