package io.prunestream.events;

import java.time.Instant;
import java.util.List;


/**
 * The score of one model, the dense checkpoint ({@code method = dense}, {@code variantId = checkpointId}, null
 * scopes) or one of its variants, on a dataset's test split. Optional: the model's {@code cost} (when its network is
 * known), {@code fineTuneEpochs} (0 or absent: scored as pruned, without fine-tuning) and {@code latencyMs}, the
 * median time of one single-image call; and {@code input}, what the model was fed (its input's shape and the
 * preprocessing of its pixels); {@code calibration}, copied from the variant event (absent: not calibrated);
 * {@code precision}, the arithmetic the model ran in (absent: {@code float32}, as before it was recorded);
 * {@code modelUri}, where the scored model was read ({@code file:} or {@code s3://}; absent in older events);
 * {@code stopping}, for a variant scored sequentially, why it stopped after {@code samples} of the split's images
 * (absent: it was scored on the whole split); {@code layers}, a variant's per-kernel report copied from its event
 * (each kernel's size and pruned weights, so the sparsity a global allocation gave it; absent for the dense model
 * and in older events).
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
        String modelUri,
        ScoreInterval top1Interval,
        DropVsDense dropVsDense,
        Disagreements disagreements,
        Stopping stopping,
        List<LayerReport> layers) implements PipelineEvent {

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
        if (top1Interval != null && !top1Interval.contains(top1)) {
            throw new IllegalArgumentException("top1Interval: " + top1Interval + " does not contain top1 " + top1);
        }
        if (method == PruningMethod.DENSE && (dropVsDense != null || disagreements != null)) {
            throw new IllegalArgumentException("dropVsDense/disagreements: a dense model is not compared with itself");
        }
        if ((dropVsDense == null) != (disagreements == null)) {
            throw new IllegalArgumentException("dropVsDense and disagreements: both or neither (the comparison with"
                    + " the dense model on the same images)");
        }
        if (disagreements != null && disagreements.denseOnly() + disagreements.variantOnly() > samples) {
            throw new IllegalArgumentException("disagreements: " + disagreements + " on " + samples + " images");
        }
        if (layers != null) {
            if (method == PruningMethod.DENSE) {
                throw new IllegalArgumentException("layers: a dense model has no pruned layers to report");
            }
            layers = List.copyOf(layers);
        }
        if (stopping != null) {
            checkStopping(stopping, method, samples);
        }
    }

    private static void checkStopping(Stopping stopping, PruningMethod method, long samples) {
        if (method == PruningMethod.DENSE) {
            throw new IllegalArgumentException("stopping: a dense model is scored on the whole split");
        }
        if (samples > stopping.splitImages()
                || stopping.reason() == StopReason.EXHAUSTED && samples != stopping.splitImages()) {
            throw new IllegalArgumentException("stopping: " + stopping.reason() + " after " + samples
                    + " images of a split of " + stopping.splitImages());
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
    public static EvaluationEventBuilder builder() {
        return new EvaluationEventBuilder();
    }

    /** A builder of a new event with this one's fields, to change some of them. */
    public EvaluationEventBuilder toBuilder() {
        return new EvaluationEventBuilder().runId(runId).checkpointId(checkpointId).variantId(variantId)
                .method(method).thresholdScope(thresholdScope).recoveryScope(recoveryScope)
                .targetSparsity(targetSparsity).achievedSparsity(achievedSparsity).top1(top1).top5(top5).loss(loss)
                .samples(samples).device(device).imagesPerSecond(imagesPerSecond).batchSize(batchSize)
                .batchLatencyP50Ms(batchLatencyP50Ms).batchLatencyP95Ms(batchLatencyP95Ms).durationMs(durationMs)
                .dataset(dataset).epoch(epoch).cost(cost).fineTuneEpochs(fineTuneEpochs).latencyMs(latencyMs)
                .input(input).calibration(calibration).precision(precision).modelUri(modelUri)
                .top1Interval(top1Interval).dropVsDense(dropVsDense).disagreements(disagreements).stopping(stopping)
                .layers(layers);
    }
}
