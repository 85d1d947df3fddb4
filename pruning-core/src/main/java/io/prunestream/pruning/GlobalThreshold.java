package io.prunestream.pruning;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

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
        int count = Magnitudes.pruneCount(requireCountable(total), sparsity);
        SampledSelect.Selected selected = SampledSelect.select(layers, count);
        List<Mask> masks = new ArrayList<>();
        for (BitSet mask : selected.masks()) {
            masks.add(new Mask(mask, mask.cardinality(), selected.threshold()));
        }
        return masks;
    }

    /**
     * Reads every layer five times before the first mask: three passes find the threshold ({@link RadixSelect}), one
     * counts each layer's weights below and equal to it, so each layer's share of the ties (by layer, then position)
     * is fixed, and a layer's mask needs only that layer.
     */
    @Override
    public LayerMasks masks(LayerSource source, double sparsity) {
        long total = 0;
        for (int l = 0; l < source.count(); l++) {
            total += source.size(l);
        }
        int count = Magnitudes.pruneCount(requireCountable(total), sparsity);
        Iterable<float[]> arrays = () -> IntStream.range(0, source.count()).mapToObj(l -> source.read(l).values())
                .iterator();
        float threshold = count == 0 ? 0f : RadixSelect.kthSmallestMagnitude(arrays, count - 1);
        Magnitudes.Below[] below = new Magnitudes.Below[source.count()];
        for (int l = 0; l < below.length; l++) {
            below[l] = Magnitudes.below(source.read(l).values(), threshold);
        }
        long[] ties = Magnitudes.ties(below, count);
        int[] counts = new int[below.length];
        for (int l = 0; l < counts.length; l++) {
            counts[l] = Math.toIntExact(below[l].count() + ties[l]);
        }
        return (index, layer) -> {
            BitSet mask = Magnitudes.mark(List.of(layer), threshold, counts[index])[0];
            return new Mask(mask, mask.cardinality(), threshold);
        };
    }

    private static long requireCountable(long total) {
        if (total > Integer.MAX_VALUE - 8) {
            // The pruned count and each mask are int-indexed.
            throw new IllegalArgumentException(total + " prunable weights are more than the pruner counts ("
                    + (Integer.MAX_VALUE - 8) + " at most)");
        }
        return total;
    }
}
