package io.prunestream.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.Precision;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.SessionConfigs;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.testing.TrainedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring outside the service: the test split converted once per input and shared by the models that take it, the
 * first model fed while later batches are still converted; float32 scores equal to a raw TensorFlow session's; and
 * bfloat16, where the CPU has it, really applied (the loss moves) and close to float32.
 */
class ModelScorerTest {

    private static final ServingSignature SIGNATURE = new ServingSignature("serving_default", "image",
            List.of(-1L, 28L, 28L, 1L), List.of("logits", "probabilities"));
    private static final LabeledImages TEST = SyntheticImages.generate(300, 28, 5);
    private static final ModelInput INPUT = ModelInput.nhwc(28, 28, 1);

    @TempDir
    static Path folder;
    private static Path model;

    @BeforeAll
    static void trainOne() throws Exception {
        model = TrainedModels.smallCnn(folder.resolve("cnn"));
    }

    @Test
    void aSplitIsConvertedOncePerInputAndTheLeastRecentlyUsedIsDropped() {
        PreparedInputs inputs = new PreparedInputs(2);
        PreparedSplit split = inputs.split("a", TEST, INPUT, 64);
        assertThat(inputs.split("a", TEST, INPUT, 64)).isSameAs(split);
        assertThat(inputs.split("a", TEST, ModelInput.nhwc(28, 28, 1), 64)).as("an equal input").isSameAs(split);
        PreparedSplit raw = inputs.split("a", TEST, new ModelInput(List.of(-1L, 28L, 28L, 1L), ImageLayout.NHWC,
                new PixelScaling(1, new double[] {0}, new double[] {1}), 28, 28, 1), 64);
        assertThat(raw).isNotSameAs(split);
        assertThat(inputs.split("b", TEST, INPUT, 64)).as("another dataset").isNotSameAs(split);
        assertThat(inputs.kept()).isEqualTo(2);
        assertThat(inputs.split("a", TEST, INPUT, 64)).as("dropped, prepared again").isNotSameAs(split);
        assertThat(split.batches()).isEqualTo(5);
        for (int b = 0; b < split.batches(); b++) {
            assertThat(floats(split, b)).isEqualTo(INPUT.values(TEST, split.from(b), split.size(b)));
        }
        assertThat(split.size(4)).isEqualTo(300 - 4 * 64);
        // Every reader gets its own position over the kept bytes: reading one view leaves the next one whole.
        split.buffer(0).position(100);
        assertThat(split.buffer(0).remaining()).isEqualTo(64 * 784 * Float.BYTES);
        assertThat(split.buffer(0).isDirect()).as("what DJL copies into a tensor without a copy of its own").isTrue();
    }

    @Test
    void batchesAreFedAsTheyAreConvertedAndABatchSizeBelowOneIsRefused() {
        // A converter that has run nothing yet: the split is handed out at once, each batch waited for when fed.
        List<Runnable> queued = new java.util.ArrayList<>();
        Executor later = queued::add;
        PreparedSplit split = PreparedSplit.start(TEST, INPUT, 100, later);
        assertThat(queued).hasSize(3);
        queued.forEach(Runnable::run);
        assertThat(floats(split, 2)).isEqualTo(INPUT.values(TEST, 200, 100));
        assertThatThrownBy(() -> PreparedSplit.start(TEST, INPUT, 0, later))
                .hasMessageContaining("evaluator.batch-size: 0");
    }

    /** Batch {@code b} of {@code split} as the floats a model is fed. */
    private static float[] floats(PreparedSplit split, int b) {
        float[] values = new float[split.size(b) * split.input().valuesPerImage()];
        split.buffer(b).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        return values;
    }

    @Test
    void float32ScoresAreThoseOfARawSession() throws Exception {
        PreparedSplit split = new PreparedInputs(1).split("synthetic", TEST, INPUT, 64);
        Score score = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split,
                new ScoringSession(Precision.FLOAT32), 0);
        int correct = 0;
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", "image", "logits")) {
            float[] logits = runner.run(TEST, 0, TEST.count());
            for (int i = 0; i < TEST.count(); i++) {
                correct += Logits.rank(logits, i * 10, 10, TEST.label(i)) == 0 ? 1 : 0;
            }
        }
        assertThat(score.top1()).isEqualTo(correct / (double) TEST.count());
        assertThat(score.precision()).isEqualTo(Precision.FLOAT32);
        assertThat(score.batchSize()).isEqualTo(64);
        assertThat(score.imagesPerSecond()).isPositive();
    }

    @Test
    void bfloat16IsAppliedWhereTheCpuHasIt() throws Exception {
        Device cpu = Device.cpu();
        ScoringSession bfloat16 = new ScoringSession(Precision.BFLOAT16);
        if (!SessionConfigs.cpuHasBfloat16()) {
            assertThatThrownBy(() -> bfloat16.requireUsable(cpu)).hasMessageContaining("evaluator.precision")
                    .hasMessageContaining("AVX512-BF16");
        }
        assertThat(bfloat16.precision(Device.gpu())).as("a GPU runs the model as saved").isEqualTo(Precision.FLOAT32);
        assumeTrue(SessionConfigs.cpuHasBfloat16() && !TensorFlowRuntime.start().defaultDevice().isGpu(),
                "this CPU has no bfloat16 instructions");
        bfloat16.requireUsable(cpu);
        PreparedSplit split = new PreparedInputs(1).split("synthetic", TEST, INPUT, 64);
        Score exact = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split,
                new ScoringSession(Precision.FLOAT32), 0);
        Score fast = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, bfloat16, 0);
        assertThat(fast.precision()).isEqualTo(Precision.BFLOAT16);
        assertThat(fast.loss()).as("bfloat16 rounding moves the logits").isNotEqualTo(exact.loss());
        assertThat(fast.loss()).isCloseTo(exact.loss(), org.assertj.core.data.Offset.offset(0.05 * exact.loss()));
        assertThat(fast.top1()).isCloseTo(exact.top1(), org.assertj.core.data.Offset.offset(0.05));
    }
}
