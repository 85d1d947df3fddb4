package io.prunestream.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The score of one model, the dense checkpoint ({@code method = dense}, {@code variantId = checkpointId}, null
 * scopes) or one of its variants, on a dataset's test split. Optional: the model's {@code cost} (when its network is
 * known), {@code fineTuneEpochs} (0 or absent: scored as pruned, without fine-tuning) and {@code latencyMs}, the
 * median time of one single-image call; and {@code input}, what the model was fed (its input's shape and the
 * preprocessing of its pixels); {@code calibration}, copied from the variant event (absent: not calibrated);
 * {@code precision}, the arithmetic the model ran in (absent: {@code float32}, as before it was recorded);
 * {@code modelUri}, where the scored model was read ({@code file:} or {@code s3://}; absent in older events).
 */
public record EvaluationEvent(
        String eventId,
        EventType eventType,
        int schemaVersion,
        String runId,
        Instant occurredAt,
        String checkpointId,
        String variantId,
        PruningMethod method,
        ThresholdScope thresholdScope,
        RecoveryScope recoveryScope,
        double targetSparsity,
        double achievedSparsity,
        double top1,
        double top5,
        double loss,
        long samples,
        String device,
        double imagesPerSecond,
        int batchSize,
        double batchLatencyP50Ms,
        double batchLatencyP95Ms,
        long durationMs,
        String dataset,
        int epoch,
        ModelCost cost,
        Integer fineTuneEpochs,
        Double latencyMs,
        InputFeed input,
        Calibration calibration,
        Precision precision,
        String modelUri) implements PipelineEvent {

    public EvaluationEvent {
        Require.envelope(eventId, eventType, EventType.EVALUATION, schemaVersion, runId, occurredAt);
        Require.matching(checkpointId, Require.ID, "checkpointId");
        Require.matching(variantId, Require.ID, "variantId");
        Require.present(method, "method");
        if ((method == PruningMethod.DENSE) != (thresholdScope == null && recoveryScope == null)) {
            throw new IllegalArgumentException("thresholdScope/recoveryScope: must be null for dense and only for"
                    + " dense (method '" + method + "', thresholdScope " + thresholdScope + ", recoveryScope "
                    + recoveryScope + ")");
        }
        Require.between(targetSparsity, 0, 1, true, "targetSparsity");
        Require.between(achievedSparsity, 0, 1, false, "achievedSparsity");
        Require.between(top1, 0, 1, false, "top1");
        Require.between(top5, 0, 1, false, "top5");
        Require.between(loss, 0, Double.MAX_VALUE, false, "loss");
        Require.atLeast(samples, 1, "samples");
        Require.text(device, "device");
        Require.between(imagesPerSecond, 0, Double.MAX_VALUE, false, "imagesPerSecond");
        Require.atLeast(batchSize, 1, "batchSize");
        Require.between(batchLatencyP50Ms, 0, Double.MAX_VALUE, false, "batchLatencyP50Ms");
        Require.between(batchLatencyP95Ms, 0, Double.MAX_VALUE, false, "batchLatencyP95Ms");
        Require.atLeast(durationMs, 0, "durationMs");
        Require.text(dataset, "dataset");
        Require.atLeast(epoch, 0, "epoch");
        if (fineTuneEpochs != null) {
            Require.atLeast(fineTuneEpochs, 0, "fineTuneEpochs");
        }
        if (latencyMs != null) {
            Require.between(latencyMs, 0, Double.MAX_VALUE, false, "latencyMs");
        }
        if (modelUri != null) {
            Require.modelUri(modelUri, "modelUri");
        }
    }

    /** {@code bn} for a variant whose batch norms were re-estimated, {@code none} otherwise. */
    public String calibrationMethod() {
        return calibration == null ? "none" : calibration.method();
    }

    /** Whether the model was trained further after pruning. */
    public boolean fineTuned() {
        return fineTuneEpochs != null && fineTuneEpochs > 0;
    }

    /** A builder of a new event (fresh id, now), its fields set by name; the optional ones may stay unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder of a new event with this one's fields, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.runId = runId;
        builder.checkpointId = checkpointId;
        builder.variantId = variantId;
        builder.method = method;
        builder.thresholdScope = thresholdScope;
        builder.recoveryScope = recoveryScope;
        builder.targetSparsity = targetSparsity;
        builder.achievedSparsity = achievedSparsity;
        builder.top1 = top1;
        builder.top5 = top5;
        builder.loss = loss;
        builder.samples = samples;
        builder.device = device;
        builder.imagesPerSecond = imagesPerSecond;
        builder.batchSize = batchSize;
        builder.batchLatencyP50Ms = batchLatencyP50Ms;
        builder.batchLatencyP95Ms = batchLatencyP95Ms;
        builder.durationMs = durationMs;
        builder.dataset = dataset;
        builder.epoch = epoch;
        builder.cost = cost;
        builder.fineTuneEpochs = fineTuneEpochs;
        builder.latencyMs = latencyMs;
        builder.input = input;
        builder.calibration = calibration;
        builder.precision = precision;
        builder.modelUri = modelUri;
        return builder;
    }

    /** Sets an evaluation event's fields by name; {@link #build()} gives it a fresh id and the time now. */
    public static final class Builder {

        private String runId;
        private String checkpointId;
        private String variantId;
        private PruningMethod method;
        private ThresholdScope thresholdScope;
        private RecoveryScope recoveryScope;
        private double targetSparsity;
        private double achievedSparsity;
        private double top1;
        private double top5;
        private double loss;
        private long samples;
        private String device;
        private double imagesPerSecond;
        private int batchSize;
        private double batchLatencyP50Ms;
        private double batchLatencyP95Ms;
        private long durationMs;
        private String dataset;
        private int epoch;
        private ModelCost cost;
        private Integer fineTuneEpochs;
        private Double latencyMs;
        private InputFeed input;
        private Calibration calibration;
        private Precision precision;
        private String modelUri;

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

        public Builder top1(double top1) {
            this.top1 = top1;
            return this;
        }

        public Builder top5(double top5) {
            this.top5 = top5;
            return this;
        }

        public Builder loss(double loss) {
            this.loss = loss;
            return this;
        }

        public Builder samples(long samples) {
            this.samples = samples;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public Builder imagesPerSecond(double imagesPerSecond) {
            this.imagesPerSecond = imagesPerSecond;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchLatencyP50Ms(double batchLatencyP50Ms) {
            this.batchLatencyP50Ms = batchLatencyP50Ms;
            return this;
        }

        public Builder batchLatencyP95Ms(double batchLatencyP95Ms) {
            this.batchLatencyP95Ms = batchLatencyP95Ms;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
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

        public Builder cost(ModelCost cost) {
            this.cost = cost;
            return this;
        }

        public Builder fineTuneEpochs(Integer fineTuneEpochs) {
            this.fineTuneEpochs = fineTuneEpochs;
            return this;
        }

        public Builder latencyMs(Double latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder input(InputFeed input) {
            this.input = input;
            return this;
        }

        public Builder calibration(Calibration calibration) {
            this.calibration = calibration;
            return this;
        }

        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        public Builder modelUri(String modelUri) {
            this.modelUri = modelUri;
            return this;
        }

        public EvaluationEvent build() {
            return new EvaluationEvent(UUID.randomUUID().toString(), EventType.EVALUATION, SCHEMA_VERSION,
                    runId, Instant.now(), checkpointId, variantId, method, thresholdScope, recoveryScope,
                    targetSparsity, achievedSparsity, top1, top5, loss, samples, device, imagesPerSecond, batchSize,
                    batchLatencyP50Ms, batchLatencyP95Ms, durationMs, dataset, epoch, cost, fineTuneEpochs, latencyMs,
                    input, calibration, precision, modelUri);
        }
    }
}
