package io.prunestream.pruning;

import java.util.List;

/**
 * A model pruned layer by layer from a {@link LayerSource}: {@link #layer} reads one layer, prunes and recovers it,
 * and hands its values to the caller (who writes them somewhere and lets them go), keeping only its report. Layers
 * may be asked for in any order, each once.
 */
public final class StreamedPruning {

    private final Pruner pruner;
    private final LayerSource source;
    private final ThresholdStrategy.LayerMasks masks;
    private final double sparsity;
    private final LayerResult[] reports;

    StreamedPruning(Pruner pruner, LayerSource source, ThresholdStrategy.LayerMasks masks, double sparsity) {
        this.pruner = pruner;
        this.source = Pruner.checked(source);
        this.masks = masks;
        this.sparsity = sparsity;
        this.reports = new LayerResult[source.count()];
    }

    /**
     * Layer {@code index} after pruning, with its values.
     *
     * @throws PruningException for a NaN or infinite weight in it
     */
    public LayerResult layer(int index) throws PruningException {
        LayerWeights layer;
        try {
            layer = source.read(index);
        } catch (Pruner.NonFinite e) {
            throw new PruningException(e.getMessage());
        }
        LayerResult result = pruner.recover(layer, masks.mask(index, layer));
        reports[index] = new LayerResult(result.name(), null, result.parameters(), result.pruned(), result.threshold(),
                result.recoveryValue(), result.storageBytes());
        return result;
    }

    /**
     * The whole pruning's report, once every layer has been made: as {@link Pruner#prune} says it, with no values
     * (each layer's went to whoever asked for it).
     *
     * @throws IllegalStateException if a layer has not been made yet
     */
    public PruningResult result() {
        for (int l = 0; l < reports.length; l++) {
            if (reports[l] == null) {
                throw new IllegalStateException("layer " + l + " of " + reports.length + " has not been pruned yet");
            }
        }
        return new PruningResult(pruner.recovery().method(), pruner.threshold().scope(), pruner.recovery().scope(),
                sparsity, List.of(reports));
    }
}
