package io.prunestream.pruning;

import java.util.ArrayList;
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
        List<Mask> masks = new ArrayList<>();
        for (LayerWeights layer : layers) {
            int count = Magnitudes.pruneCount(layer.size(), sparsity);
            float threshold = Magnitudes.threshold(Magnitudes.of(layer.values()), count);
            BitSet pruned = Magnitudes.mark(List.of(layer), threshold, count)[0];
            masks.add(new Mask(pruned, count, threshold));
        }
        return masks;
    }
}
