package io.prunestream.pruner.service;

import io.prunestream.events.LayerReport;
import io.prunestream.events.Calibration;
import io.prunestream.events.GateReport;
import io.prunestream.events.ModelCost;
import java.util.List;

/**
 * {@code pruning.json} beside each variant: what pruning did, so that a replayed checkpoint republishes the variant
 * without pruning it again. {@code cost}, {@code denseCost}, {@code fineTuneEpochs}, {@code gates} and
 * {@code calibration} may be null (a network the project does not know; a method without gates; a variant as pruned;
 * variants written before they were recorded).
 */
public record VariantRecord(String variantId, String checkpointId, String checkpointDigest, String method,
        String thresholdScope, String recoveryScope, double targetSparsity, double achievedSparsity,
        List<LayerReport> layers, long denseBytes, long storageBytes, long pruneMillis, ModelCost cost,
        ModelCost denseCost, Integer fineTuneEpochs, GateReport gates, Calibration calibration) {

    public static final String FILE = "pruning.json";
}
