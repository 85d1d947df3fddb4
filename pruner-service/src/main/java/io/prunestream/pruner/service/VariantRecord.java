package io.prunestream.pruner.service;

import io.prunestream.events.LayerReport;
import java.util.List;

/**
 * {@code pruning.json} beside each variant: what pruning did, so that a replayed checkpoint republishes the variant
 * without pruning it again.
 */
public record VariantRecord(String variantId, String checkpointId, String checkpointDigest, String method,
        String thresholdScope, String recoveryScope, double targetSparsity, double achievedSparsity,
        List<LayerReport> layers, long denseBytes, long storageBytes, long pruneMillis) {

    public static final String FILE = "pruning.json";
}
