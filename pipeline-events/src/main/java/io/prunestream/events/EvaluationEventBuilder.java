package io.prunestream.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sets an evaluation event's fields by name; {@link #build()} gives it a fresh id and the time now. */
public final class EvaluationEventBuilder {

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
    private ScoreInterval top1Interval;
    private DropVsDense dropVsDense;
    private Disagreements disagreements;
    private Stopping stopping;
    private List<LayerReport> layers;

    EvaluationEventBuilder() {
    }

    public EvaluationEventBuilder runId(String runId) {
        this.runId = runId;
        return this;
    }

    public EvaluationEventBuilder checkpointId(String checkpointId) {
        this.checkpointId = checkpointId;
        return this;
    }

    public EvaluationEventBuilder variantId(String variantId) {
        this.variantId = variantId;
        return this;
    }

    public EvaluationEventBuilder method(PruningMethod method) {
        this.method = method;
        return this;
    }

    public EvaluationEventBuilder thresholdScope(ThresholdScope thresholdScope) {
        this.thresholdScope = thresholdScope;
        return this;
    }

    public EvaluationEventBuilder recoveryScope(RecoveryScope recoveryScope) {
        this.recoveryScope = recoveryScope;
        return this;
    }

    public EvaluationEventBuilder targetSparsity(double targetSparsity) {
        this.targetSparsity = targetSparsity;
        return this;
    }

    public EvaluationEventBuilder achievedSparsity(double achievedSparsity) {
        this.achievedSparsity = achievedSparsity;
        return this;
    }

    public EvaluationEventBuilder top1(double top1) {
        this.top1 = top1;
        return this;
    }

    public EvaluationEventBuilder top5(double top5) {
        this.top5 = top5;
        return this;
    }

    public EvaluationEventBuilder loss(double loss) {
        this.loss = loss;
        return this;
    }

    public EvaluationEventBuilder samples(long samples) {
        this.samples = samples;
        return this;
    }

    public EvaluationEventBuilder device(String device) {
        this.device = device;
        return this;
    }

    public EvaluationEventBuilder imagesPerSecond(double imagesPerSecond) {
        this.imagesPerSecond = imagesPerSecond;
        return this;
    }

    public EvaluationEventBuilder batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public EvaluationEventBuilder batchLatencyP50Ms(double batchLatencyP50Ms) {
        this.batchLatencyP50Ms = batchLatencyP50Ms;
        return this;
    }

    public EvaluationEventBuilder batchLatencyP95Ms(double batchLatencyP95Ms) {
        this.batchLatencyP95Ms = batchLatencyP95Ms;
        return this;
    }

    public EvaluationEventBuilder durationMs(long durationMs) {
        this.durationMs = durationMs;
        return this;
    }

    public EvaluationEventBuilder dataset(String dataset) {
        this.dataset = dataset;
        return this;
    }

    public EvaluationEventBuilder epoch(int epoch) {
        this.epoch = epoch;
        return this;
    }

    public EvaluationEventBuilder cost(ModelCost cost) {
        this.cost = cost;
        return this;
    }

    public EvaluationEventBuilder fineTuneEpochs(Integer fineTuneEpochs) {
        this.fineTuneEpochs = fineTuneEpochs;
        return this;
    }

    public EvaluationEventBuilder latencyMs(Double latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    public EvaluationEventBuilder input(InputFeed input) {
        this.input = input;
        return this;
    }

    public EvaluationEventBuilder calibration(Calibration calibration) {
        this.calibration = calibration;
        return this;
    }

    public EvaluationEventBuilder precision(Precision precision) {
        this.precision = precision;
        return this;
    }

    public EvaluationEventBuilder modelUri(String modelUri) {
        this.modelUri = modelUri;
        return this;
    }

    public EvaluationEventBuilder top1Interval(ScoreInterval top1Interval) {
        this.top1Interval = top1Interval;
        return this;
    }

    public EvaluationEventBuilder dropVsDense(DropVsDense dropVsDense) {
        this.dropVsDense = dropVsDense;
        return this;
    }

    public EvaluationEventBuilder disagreements(Disagreements disagreements) {
        this.disagreements = disagreements;
        return this;
    }

    public EvaluationEventBuilder stopping(Stopping stopping) {
        this.stopping = stopping;
        return this;
    }

    public EvaluationEventBuilder layers(List<LayerReport> layers) {
        this.layers = layers;
        return this;
    }

    public EvaluationEvent build() {
        return new EvaluationEvent(UUID.randomUUID().toString(), EventType.EVALUATION, PipelineEvent.SCHEMA_VERSION,
                runId, Instant.now(), checkpointId, variantId, method, thresholdScope, recoveryScope,
                targetSparsity, achievedSparsity, top1, top5, loss, samples, device, imagesPerSecond, batchSize,
                batchLatencyP50Ms, batchLatencyP95Ms, durationMs, dataset, epoch, cost, fineTuneEpochs, latencyMs,
                input, calibration, precision, modelUri, top1Interval, dropVsDense, disagreements,
                stopping, layers);
    }
}
