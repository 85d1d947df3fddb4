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
        Require.modelUri(modelUri, "modelUri");
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

    /** A builder of a new event (fresh id, now), its fields set by name; the optional ones may stay unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder of a new event (fresh id, now) with this one's fields, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.runId = runId;
        builder.checkpointId = checkpointId;
        builder.variantId = variantId;
        builder.modelUri = modelUri;
        builder.modelDigest = modelDigest;
        builder.method = method;
        builder.targetSparsity = targetSparsity;
        builder.achievedSparsity = achievedSparsity;
        builder.thresholdScope = thresholdScope;
        builder.recoveryScope = recoveryScope;
        builder.layers = layers;
        builder.denseBytes = denseBytes;
        builder.storageBytes = storageBytes;
        builder.dataset = dataset;
        builder.epoch = epoch;
        builder.signature = signature;
        builder.cost = cost;
        builder.denseCost = denseCost;
        builder.fineTuneEpochs = fineTuneEpochs;
        builder.gates = gates;
        builder.preprocessing = preprocessing;
        builder.calibration = calibration;
        return builder;
    }

    /** Sets a variant event's fields by name; {@link #build()} checks them as the record does. */
    public static final class Builder {

        private String runId;
        private String checkpointId;
        private String variantId;
        private String modelUri;
        private String modelDigest;
        private PruningMethod method;
        private double targetSparsity;
        private double achievedSparsity;
        private ThresholdScope thresholdScope;
        private RecoveryScope recoveryScope;
        private List<LayerReport> layers;
        private long denseBytes;
        private long storageBytes;
        private String dataset;
        private int epoch;
        private ServingSignature signature;
        private ModelCost cost;
        private ModelCost denseCost;
        private Integer fineTuneEpochs;
        private GateReport gates;
        private Preprocessing preprocessing;
        private Calibration calibration;

        private Builder() {
        }

        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder checkpointId(String checkpointId) {
            this.checkpointId = checkpointId;
            return this;
        }

        public Builder variantId(String variantId) {
            this.variantId = variantId;
            return this;
        }

        public Builder modelUri(String modelUri) {
            this.modelUri = modelUri;
            return this;
        }

        public Builder modelDigest(String modelDigest) {
            this.modelDigest = modelDigest;
            return this;
        }

        public Builder method(PruningMethod method) {
            this.method = method;
            return this;
        }

        public Builder targetSparsity(double targetSparsity) {
            this.targetSparsity = targetSparsity;
            return this;
        }

        public Builder achievedSparsity(double achievedSparsity) {
            this.achievedSparsity = achievedSparsity;
            return this;
        }

        public Builder thresholdScope(ThresholdScope thresholdScope) {
            this.thresholdScope = thresholdScope;
            return this;
        }

        public Builder recoveryScope(RecoveryScope recoveryScope) {
            this.recoveryScope = recoveryScope;
            return this;
        }

        public Builder layers(List<LayerReport> layers) {
            this.layers = layers;
            return this;
        }

        public Builder denseBytes(long denseBytes) {
            this.denseBytes = denseBytes;
            return this;
        }

        public Builder storageBytes(long storageBytes) {
            this.storageBytes = storageBytes;
            return this;
        }

        public Builder dataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder epoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        public Builder signature(ServingSignature signature) {
            this.signature = signature;
            return this;
        }

        public Builder cost(ModelCost cost) {
            this.cost = cost;
            return this;
        }

        public Builder denseCost(ModelCost denseCost) {
            this.denseCost = denseCost;
            return this;
        }

        public Builder fineTuneEpochs(Integer fineTuneEpochs) {
            this.fineTuneEpochs = fineTuneEpochs;
            return this;
        }

        public Builder gates(GateReport gates) {
            this.gates = gates;
            return this;
        }

        public Builder preprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        public Builder calibration(Calibration calibration) {
            this.calibration = calibration;
            return this;
        }

        public VariantEvent build() {
            return new VariantEvent(UUID.randomUUID().toString(), EventType.VARIANT, SCHEMA_VERSION, runId,
                    Instant.now(), checkpointId, variantId, modelUri, modelDigest, method, targetSparsity,
                    achievedSparsity, thresholdScope, recoveryScope, layers, denseBytes, storageBytes, dataset, epoch,
                    signature, cost, denseCost, fineTuneEpochs, gates, preprocessing, calibration);
        }
    }

    /** How the model's input is made from pixels: as declared, or the default. */
    public Preprocessing preprocessingOrDefault() {
        return preprocessing == null ? Preprocessing.DEFAULT : preprocessing;
    }
}
