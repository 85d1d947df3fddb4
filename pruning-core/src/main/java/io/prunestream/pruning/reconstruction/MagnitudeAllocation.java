package io.prunestream.pruning.reconstruction;

import io.prunestream.pruning.GlobalThreshold;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.PruningException;
import io.prunestream.pruning.ZeroRecovery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A global budget spread over the layers by one magnitude threshold over all of them: each layer's sparsity is the
 * share of its weights below it. The allocation needs no calibration data; {@link SparsityAllocation} is the one
 * that reads how much each layer's output suffers.
 */
public final class MagnitudeAllocation {

    private MagnitudeAllocation() {
    }

    /** Each layer's sparsity, by name, in {@code layers}' order. */
    public static Map<String, Double> allocate(List<LayerWeights> layers, double target) throws PruningException {
        Map<String, Double> sparsity = new LinkedHashMap<>();
        for (LayerResult layer : new Pruner(new GlobalThreshold(), new ZeroRecovery()).prune(layers, target)
                .layers()) {
            sparsity.put(layer.name(), (double) layer.pruned() / layer.parameters());
        }
        return sparsity;
    }
}
