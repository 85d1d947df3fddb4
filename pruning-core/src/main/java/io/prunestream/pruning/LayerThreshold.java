package io.prunestream.pruning;

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
            SampledSelect.Selected selected = SampledSelect.select(List.of(layer), count);
            return new Mask(selected.masks()[0], count, selected.threshold());
        }).toList();
    }

    @Override
    public LayerMasks masks(LayerSource source, double sparsity) {
        return (index, layer) -> masks(List.of(layer), sparsity).get(0);
    }
}
