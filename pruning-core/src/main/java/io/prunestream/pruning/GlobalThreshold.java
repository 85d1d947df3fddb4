package io.prunestream.pruning;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One threshold over every prunable weight of the model: layers whose weights are small lose more of them. The total
 * is exact; each layer's share follows from its magnitudes.
 */
public final class GlobalThreshold implements ThresholdStrategy {

    @Override
    public String scope() {
        return "global";
    }

    @Override
    public List<Mask> masks(List<LayerWeights> layers, double sparsity) {
        long total = 0;
        for (LayerWeights layer : layers) {
            total += layer.size();
        }
        if (total > Integer.MAX_VALUE - 8) {
            // The selection reads the layers in place; the pruned count and each mask are int-indexed.
            throw new IllegalArgumentException(total + " prunable weights are more than the pruner counts ("
                    + (Integer.MAX_VALUE - 8) + " at most)");
        }
        int count = Magnitudes.pruneCount(total, sparsity);
        SampledSelect.Selected selected = SampledSelect.select(layers, count);
        List<Mask> masks = new ArrayList<>();
        for (BitSet mask : selected.masks()) {
            masks.add(new Mask(mask, mask.cardinality(), selected.threshold()));
        }
        return masks;
    }
}
