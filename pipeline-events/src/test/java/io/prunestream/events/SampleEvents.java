package io.prunestream.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid event of each type, as a trainer, pruner and evaluator would publish them. */
final class SampleEvents {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final ServingSignature SIGNATURE = new ServingSignature("serving_default", "image",
            List.of(-1L, 28L, 28L, 1L), List.of("logits", "probabilities"));

    private SampleEvents() {
    }

    static CheckpointEvent checkpoint() {
        return new CheckpointEvent("7c0b6d4e-3f5a-4d0e-9a57-1b2c3d4e5f60", EventType.CHECKPOINT, 1, "run-42",
                Instant.parse("2026-11-21T09:00:00Z"), "run-42-e003", "file:///models/checkpoints/run-42/e003",
                DIGEST, "small-cnn", "fashion-mnist", 3, 1407,
                Map.of("trainLoss", 0.31, "trainAccuracy", 0.89, "testAccuracy", 0.902),
                new TrainingMethod("hyperspherical+l1", 7, Map.of("lambda", 10.0, "optimizer", "sgd",
                        "unitNorm", true)),
                SIGNATURE, new Network("resnet", 20, 16, List.of(28, 28, 1), 10, "dense", 0.286, 0.353),
                new ModelCost(272_474, 40_813_184, 2_301_440),
                new FilterSelection("tpp", 0.5, List.of(List.of(0, 3, 5), List.of(1, 2, 7))),
                new BottleneckRequest(List.of(0.5, 0.35), 6.0, null, 0.5, 200),
                new Preprocessing(1.0, List.of(0.5), null, "NCHW"));
    }

    static VariantEvent variant() {
        return VariantEvent.builder().runId("run-42").checkpointId("run-42-e003").variantId("run-42-e003-tm-f-l-70")
                .modelUri("file:///models/variants/x").modelDigest(DIGEST).method(PruningMethod.THRESHOLD_MEAN)
                .targetSparsity(0.7).achievedSparsity(0.7).thresholdScope(ThresholdScope.LAYER)
                .recoveryScope(RecoveryScope.FILTER)
                .layers(List.of(new LayerReport("conv1/kernel", 800, 560, 0.0123, -0.0004), new LayerReport("dense2/kernel", 2560, 1792, 0.05, 0.001)))
                .denseBytes(13_440).storageBytes(4_772).dataset("fashion-mnist").epoch(3).signature(SIGNATURE)
                .preprocessing(Preprocessing.DEFAULT)
                .calibration(new Calibration(Calibration.BATCH_NORM, 1024, 19, 812)).build();
    }

    /** A ResNet with half the filters of each inner conv removed, fine-tuned for one epoch. */
    static VariantEvent structuredVariant() {
        return VariantEvent.builder().runId("run-42").checkpointId("run-42-e003")
                .variantId("run-42-e003-l1-r5000-ft1").modelUri("file:///models/variants/y").modelDigest(DIGEST)
                .method(PruningMethod.FILTER_L1).targetSparsity(0.5).achievedSparsity(0.31)
                .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE)
                .layers(List.of(new LayerReport("conv2/kernel", 2304, 1152, 1.73, null))).denseBytes(1_089_896)
                .storageBytes(751_000).dataset("fashion-mnist").epoch(3).signature(SIGNATURE)
                .cost(new ModelCost(187_000, 27_800_000, 800_000))
                .denseCost(new ModelCost(272_474, 40_813_184, 2_301_440)).fineTuneEpochs(1).build();
    }

    /** A ResNet whose gates were trained to keep half its multiply-adds. */
    static VariantEvent bottleneckVariant() {
        return VariantEvent.builder().runId("run-42").checkpointId("run-42-e003").variantId("run-42-e003-bn-f5000")
                .modelUri("file:///models/variants/z").modelDigest(DIGEST).method(PruningMethod.BOTTLENECK)
                .targetSparsity(0.5).achievedSparsity(0.47).thresholdScope(ThresholdScope.LAYER)
                .recoveryScope(RecoveryScope.NONE)
                .layers(List.of(new LayerReport("conv1/kernel", 144, 54, 0.43, null))).denseBytes(1_089_896)
                .storageBytes(580_000).dataset("fashion-mnist").epoch(3).signature(SIGNATURE)
                .cost(new ModelCost(141_000, 20_390_000, 620_000))
                .denseCost(new ModelCost(272_474, 40_813_184, 2_301_440)).fineTuneEpochs(0)
                .gates(new GateReport(0.5, 0.4375, 234, 201, 0.61, 41_250)).build();
    }

    static EvaluationEvent evaluation() {
        return new EvaluationEvent("e1", EventType.EVALUATION, 1, "run-42", Instant.parse("2026-11-21T09:01:00Z"),
                "run-42-e003", "run-42-e003", PruningMethod.DENSE, null, null, 0, 0, 0.902, 0.998, 0.29, 10_000,
                "cpu", 8400.5, 256, 28.1, 35.7, 1650, "fashion-mnist", 3,
                new ModelCost(272_474, 40_813_184, 2_301_440), null, 1.9,
                new InputFeed(List.of(-1L, 28L, 28L, 1L), Preprocessing.DEFAULT), null, Precision.FLOAT32,
                "s3://models/checkpoints/run-42/run-42-e003", new ScoreInterval(0.8960, 0.9076, 0.95), null, null, null,
                null);
    }

    /** A variant's evaluation, compared with its dense model on the same 10,000 images. */
    static EvaluationEvent variantEvaluation() {
        return evaluation().toBuilder().variantId("run-42-e003-t-layer-none-s7000").method(PruningMethod.THRESHOLD)
                .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE).targetSparsity(0.7)
                .achievedSparsity(0.7).top1(0.899).top1Interval(new ScoreInterval(0.8929, 0.9048, 0.95))
                .modelUri("s3://models/variants/run-42/run-42-e003-t-layer-none-s7000")
                .dropVsDense(new DropVsDense(0.003, 0.0009, 0.0051, 0.95))
                .disagreements(new Disagreements(62, 32, 0.0026))
                .layers(List.of(new LayerReport("conv1/kernel", 800, 560, 0.0123, null, "exact"))).build();
    }

    /** A variant's evaluation that stopped early: its drop's interval narrower than ±0.5 points after 4,608 images. */
    static EvaluationEvent sequentialEvaluation() {
        return variantEvaluation().toBuilder().samples(4_608).top1(0.8997)
                .top1Interval(new ScoreInterval(0.8871, 0.9118, 0.95))
                .dropVsDense(new DropVsDense(0.0017, -0.0031, 0.0049, 0.95))
                .disagreements(new Disagreements(28, 20, 0.31))
                .stopping(new Stopping(StopReason.PRECISE, 10_000, 0.005, 0.2)).build();
    }

    static List<PipelineEvent> all() {
        return List.of(checkpoint(), variant(), structuredVariant(), bottleneckVariant(), evaluation(),
                variantEvaluation(), sequentialEvaluation());
    }
}
