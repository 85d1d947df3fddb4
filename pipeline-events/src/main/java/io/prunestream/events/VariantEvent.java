package io.prunestream.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A pruned variant of a checkpoint, stored as a SavedModel in the model store. For the structured methods
 * ({@code filter-l1}, {@code tpp}) {@code targetSparsity} is the share of filters removed from each prunable layer and
 * {@code achievedSparsity} the share of prunable weights that are gone. {@code cost} and {@code denseCost} (the
 * variant's and its checkpoint's, when the network is known) and {@code fineTuneEpochs} (0 or absent: not
 * fine-tuned after pruning) are optional, and so is {@code gates}, how a {@code bottleneck} variant was chosen. For
 * {@code bottleneck} {@code targetSparsity} is the share of the full network's multiply-adds to remove (1 minus
 * {@code gates.flopsTarget}). {@code preprocessing} is the checkpoint's (absent: {@link Preprocessing#DEFAULT});
 * {@code calibration} says how the variant was calibrated after pruning (absent: not at all).
 */
public record VariantEvent(
        String eventId,
        EventType eventType,
        int schemaVersion,
        String runId,
        Instant occurredAt,
        String checkpointId,
        String variantId,
        String modelUri,
        String modelDigest,
        PruningMethod method,
        double targetSparsity,
        double achievedSparsity,
        ThresholdScope thresholdScope,
        RecoveryScope recoveryScope,
        List<LayerReport> layers,
        long denseBytes,
        long storageBytes,
        String dataset,
        int epoch,
        ServingSignature signature,
        ModelCost cost,
        ModelCost denseCost,
        Integer fineTuneEpochs,
        GateReport gates,
        Preprocessing preprocessing,
        Calibration calibration) implements PipelineEvent {

    public VariantEvent {
        Require.envelope(eventId, eventType, EventType.VARIANT, schemaVersion, runId, occurredAt);
        Require.matching(checkpointId, Require.ID, "checkpointId");
        Require.matching(variantId, Require.ID, "variantId");
        Require.fileUri(modelUri, "modelUri");
        Require.matching(modelDigest, Require.DIGEST, "modelDigest");
        if (Require.present(method, "method") == PruningMethod.DENSE) {
            throw new IllegalArgumentException("method: 'dense' is not a pruning method of a variant");
        }
        if (!Double.isFinite(targetSparsity) || targetSparsity <= 0 || targetSparsity >= 1) {
            throw new IllegalArgumentException("targetSparsity: " + targetSparsity + " is outside (0, 1)");
        }
        Require.between(achievedSparsity, 0, 1, false, "achievedSparsity");
        Require.present(thresholdScope, "thresholdScope");
        Require.present(recoveryScope, "recoveryScope");
        if ((method == PruningMethod.THRESHOLD_MEAN) == (recoveryScope == RecoveryScope.NONE)) {
            throw new IllegalArgumentException("recoveryScope: '" + recoveryScope + "' does not fit method '"
                    + method + "' (threshold+mean needs filter or layer, every other method none)");
        }
        layers = List.copyOf(Require.present(layers, "layers"));
        Require.atLeast(denseBytes, 0, "denseBytes");
        Require.atLeast(storageBytes, 0, "storageBytes");
        Require.text(dataset, "dataset");
        Require.atLeast(epoch, 0, "epoch");
        Require.present(signature, "signature");
        if (fineTuneEpochs != null) {
            Require.atLeast(fineTuneEpochs, 0, "fineTuneEpochs");
            if (fineTuneEpochs > 0 && !method.structured()) {
                throw new IllegalArgumentException("fineTuneEpochs: " + fineTuneEpochs + " for method '" + method
                        + "': only the structured methods are fine-tuned");
            }
        }
        if (gates != null && method != PruningMethod.BOTTLENECK) {
            throw new IllegalArgumentException("gates: method '" + method + "' trains no gates; only bottleneck"
                    + " does");
        }
    }

    /** A new event (fresh id, now); the remaining arguments are this record's fields. */
    public static VariantEvent create(String runId, String checkpointId, String variantId, String modelUri,
            String modelDigest, PruningMethod method, double targetSparsity, double achievedSparsity,
            ThresholdScope thresholdScope, RecoveryScope recoveryScope, List<LayerReport> layers, long denseBytes,
            long storageBytes, String dataset, int epoch, ServingSignature signature) {
        return create(runId, checkpointId, variantId, modelUri, modelDigest, method, targetSparsity, achievedSparsity,
                thresholdScope, recoveryScope, layers, denseBytes, storageBytes, dataset, epoch, signature, null, null,
                null);
    }

    /** A new event (fresh id, now) with costs and fine-tuning; the remaining arguments are this record's fields. */
    public static VariantEvent create(String runId, String checkpointId, String variantId, String modelUri,
            String modelDigest, PruningMethod method, double targetSparsity, double achievedSparsity,
            ThresholdScope thresholdScope, RecoveryScope recoveryScope, List<LayerReport> layers, long denseBytes,
            long storageBytes, String dataset, int epoch, ServingSignature signature, ModelCost cost,
            ModelCost denseCost, Integer fineTuneEpochs) {
        return create(runId, checkpointId, variantId, modelUri, modelDigest, method, targetSparsity, achievedSparsity,
                thresholdScope, recoveryScope, layers, denseBytes, storageBytes, dataset, epoch, signature, cost,
                denseCost, fineTuneEpochs, null);
    }

    /** A new event (fresh id, now), every field given; the remaining arguments are this record's fields. */
    public static VariantEvent create(String runId, String checkpointId, String variantId, String modelUri,
            String modelDigest, PruningMethod method, double targetSparsity, double achievedSparsity,
            ThresholdScope thresholdScope, RecoveryScope recoveryScope, List<LayerReport> layers, long denseBytes,
            long storageBytes, String dataset, int epoch, ServingSignature signature, ModelCost cost,
            ModelCost denseCost, Integer fineTuneEpochs, GateReport gates) {
        return new VariantEvent(UUID.randomUUID().toString(), EventType.VARIANT, SCHEMA_VERSION, runId,
                Instant.now(), checkpointId, variantId, modelUri, modelDigest, method, targetSparsity,
                achievedSparsity, thresholdScope, recoveryScope, layers, denseBytes, storageBytes, dataset, epoch,
                signature, cost, denseCost, fineTuneEpochs, gates, null, null);
    }

    /** The same event, with its checkpoint's declared preprocessing (null: the default). */
    public VariantEvent withPreprocessing(Preprocessing declared) {
        return new VariantEvent(eventId, eventType, schemaVersion, runId, occurredAt, checkpointId, variantId,
                modelUri, modelDigest, method, targetSparsity, achievedSparsity, thresholdScope, recoveryScope, layers,
                denseBytes, storageBytes, dataset, epoch, signature, cost, denseCost, fineTuneEpochs, gates, declared,
                calibration);
    }

    /** The same event, calibrated as {@code applied} says (null: not at all). */
    public VariantEvent withCalibration(Calibration applied) {
        return new VariantEvent(eventId, eventType, schemaVersion, runId, occurredAt, checkpointId, variantId,
                modelUri, modelDigest, method, targetSparsity, achievedSparsity, thresholdScope, recoveryScope, layers,
                denseBytes, storageBytes, dataset, epoch, signature, cost, denseCost, fineTuneEpochs, gates,
                preprocessing, applied);
    }

    /** How the model's input is made from pixels: as declared, or the default. */
    public Preprocessing preprocessingOrDefault() {
        return preprocessing == null ? Preprocessing.DEFAULT : preprocessing;
    }
}
