package io.prunestream.kafka;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventType;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PipelineEvent;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One event of each type, to send through the broker. */
final class SampleEvents {

    static final ServingSignature SIGNATURE = new ServingSignature("serving_default", "image",
            List.of(-1L, 28L, 28L, 1L), List.of("logits", "probabilities"));
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    private SampleEvents() {
    }

    static CheckpointEvent checkpoint(String checkpointId) {
        return CheckpointEvent.create("run-7", checkpointId, "file:///models/checkpoints/run-7/" + checkpointId,
                DIGEST, "small-cnn", "fashion-mnist", 1, 469, Map.of("trainLoss", 0.4),
                new TrainingMethod("plain", 1, Map.of("lr", 0.01)), SIGNATURE);
    }

    static List<PipelineEvent> all() {
        return List.of(checkpoint("run-7-e001"),
                VariantEvent.builder().runId("run-7").checkpointId("run-7-e001").variantId("run-7-e001-t-50")
                        .modelUri("file:///models/variants/run-7/v").modelDigest(DIGEST)
                        .method(PruningMethod.THRESHOLD).targetSparsity(0.5).achievedSparsity(0.5)
                        .thresholdScope(ThresholdScope.GLOBAL).recoveryScope(RecoveryScope.NONE)
                        .layers(List.of(new LayerReport("conv1/kernel", 800, 400, 0.02, null))).denseBytes(3_200)
                        .storageBytes(1_700).dataset("fashion-mnist").epoch(1).signature(SIGNATURE).build(),
                new EvaluationEvent("eval-1", EventType.EVALUATION, 1, "run-7", Instant.parse("2026-11-21T10:00:00Z"),
                        "run-7-e001", "run-7-e001-t-50", PruningMethod.THRESHOLD, ThresholdScope.GLOBAL,
                        RecoveryScope.NONE, 0.5, 0.5, 0.88, 0.99, 0.35, 10_000, "cpu", 9000, 256, 25, 31, 1500,
                        "fashion-mnist", 1, null, null, null, null, null, null, null, null, null, null, null, null));
    }
}
