package io.prunestream.pruner.service;

import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.GateReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.VariantEvent;
import java.util.List;

/**
 * {@code pruning.json} beside each variant: what pruning did, so that a replayed checkpoint republishes the variant
 * without pruning it again. {@code cost}, {@code denseCost}, {@code fineTuneEpochs}, {@code gates} and
 * {@code calibration} may be null (a network the project does not know; a method without gates; a variant as pruned;
 * variants written before they were recorded).
 */
public record VariantRecord(String variantId, String checkpointId, String checkpointDigest, PruningMethod method,
        ThresholdScope thresholdScope, RecoveryScope recoveryScope, double targetSparsity, double achievedSparsity,
        List<LayerReport> layers, long denseBytes, long storageBytes, long pruneMillis, ModelCost cost,
        ModelCost denseCost, Integer fineTuneEpochs, GateReport gates, Calibration calibration) {

    public static final String FILE = "pruning.json";

    /** The event of this variant of {@code checkpoint}, stored at {@code modelUri} with digest {@code digest}. */
    VariantEvent toEvent(CheckpointEvent checkpoint, String modelUri, String digest) {
        return VariantEvent.builder().runId(checkpoint.runId()).checkpointId(checkpoint.checkpointId())
                .variantId(variantId).modelUri(modelUri).modelDigest(digest).method(method)
                .targetSparsity(targetSparsity).achievedSparsity(achievedSparsity).thresholdScope(thresholdScope)
                .recoveryScope(recoveryScope).layers(layers).denseBytes(denseBytes).storageBytes(storageBytes)
                .dataset(checkpoint.dataset()).epoch(checkpoint.epoch()).signature(checkpoint.signature()).cost(cost)
                .denseCost(denseCost).fineTuneEpochs(fineTuneEpochs).gates(gates)
                .preprocessing(checkpoint.preprocessing()).calibration(calibration).build();
    }

    /** A builder, the fields set by name; the optional ones may stay unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this one's fields, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.variantId = variantId;
        builder.checkpointId = checkpointId;
        builder.checkpointDigest = checkpointDigest;
        builder.method = method;
        builder.thresholdScope = thresholdScope;
        builder.recoveryScope = recoveryScope;
        builder.targetSparsity = targetSparsity;
        builder.achievedSparsity = achievedSparsity;
        builder.layers = layers;
        builder.denseBytes = denseBytes;
        builder.storageBytes = storageBytes;
        builder.pruneMillis = pruneMillis;
        builder.cost = cost;
        builder.denseCost = denseCost;
        builder.fineTuneEpochs = fineTuneEpochs;
        builder.gates = gates;
        builder.calibration = calibration;
        return builder;
    }

    /** Sets a variant record's fields by name. */
    public static final class Builder {

        private String variantId;
        private String checkpointId;
        private String checkpointDigest;
        private PruningMethod method;
        private ThresholdScope thresholdScope;
        private RecoveryScope recoveryScope;
        private double targetSparsity;
        private double achievedSparsity;
        private List<LayerReport> layers;
        private long denseBytes;
        private long storageBytes;
        private long pruneMillis;
        private ModelCost cost;
        private ModelCost denseCost;
        private Integer fineTuneEpochs;
        private GateReport gates;
        private Calibration calibration;

        private Builder() {
        }

        public Builder variantId(String variantId) {
            this.variantId = variantId;
            return this;
        }

        public Builder checkpointId(String checkpointId) {
            this.checkpointId = checkpointId;
            return this;
        }

        public Builder checkpointDigest(String checkpointDigest) {
            this.checkpointDigest = checkpointDigest;
            return this;
        }

        public Builder method(PruningMethod method) {
            this.method = method;
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

        public Builder targetSparsity(double targetSparsity) {
            this.targetSparsity = targetSparsity;
            return this;
        }

        public Builder achievedSparsity(double achievedSparsity) {
            this.achievedSparsity = achievedSparsity;
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

        public Builder pruneMillis(long pruneMillis) {
            this.pruneMillis = pruneMillis;
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

        public Builder calibration(Calibration calibration) {
            this.calibration = calibration;
            return this;
        }

        public VariantRecord build() {
            return new VariantRecord(variantId, checkpointId, checkpointDigest, method, thresholdScope, recoveryScope,
                    targetSparsity, achievedSparsity, layers, denseBytes, storageBytes, pruneMillis, cost, denseCost,
                    fineTuneEpochs, gates, calibration);
        }
    }
}
