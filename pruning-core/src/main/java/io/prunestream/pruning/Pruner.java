package io.prunestream.pruning;

import java.util.List;
import java.util.stream.IntStream;

/** Prunes a model's kernels to a sparsity with a threshold strategy and a recovery: a pruning method is the pair. */
public final class Pruner {

    private final ThresholdStrategy threshold;
    private final Recovery recovery;

    public Pruner(ThresholdStrategy threshold, Recovery recovery) {
        this.threshold = threshold;
        this.recovery = recovery;
    }

    public ThresholdStrategy threshold() {
        return threshold;
    }

    public Recovery recovery() {
        return recovery;
    }

    /**
     * @param sparsity the share of prunable weights to prune, in (0, 1)
     * @throws PruningException for a sparsity outside (0, 1), no layers, or a NaN or infinite weight
     */
    public PruningResult prune(List<LayerWeights> layers, double sparsity) throws PruningException {
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new PruningException("sparsity " + sparsity + " is outside (0, 1)");
        }
        if (layers.isEmpty()) {
            throw new PruningException("there is no prunable layer");
        }
        // Every layer read on its own core; the first bad layer in model order is the one named.
        List<String> nonFinite = layers.parallelStream().map(LayerWeights::nonFinite).toList();
        for (String problem : nonFinite) {
            if (problem != null) {
                throw new PruningException(problem);
            }
        }
        List<Mask> masks = threshold.masks(layers, sparsity);
        // Recovery rewrites each layer on its own: every layer on its own core, the results in layer order.
        List<LayerResult> results = IntStream.range(0, layers.size()).parallel().mapToObj(l -> {
            LayerWeights layer = layers.get(l);
            Mask mask = masks.get(l);
            Recovery.Recovered recovered = recovery.apply(layer, mask);
            long kept = layer.size() - mask.count();
            long storage = (layer.size() + 7L) / 8 + 4 * kept + 4L * recovered.constants();
            return new LayerResult(layer.name(), recovered.values(), layer.size(), mask.count(), mask.threshold(),
                    recovered.recoveryValue(), storage);
        }).toList();
        return new PruningResult(recovery.method(), threshold.scope(), recovery.scope(), sparsity, results);
    }
}
