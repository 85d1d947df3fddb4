package io.prunestream.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
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
 * Scoring outside the service: the test split converted once per input and shared by the models that take it, kept
 * within a budget of bytes, the first model fed while the next few batches are converted; float32 scores equal to a raw TensorFlow session's; and
 * bfloat16, where the CPU has it, really applied (the loss moves) and close to float32.
 */
class ModelScorerTest {

    private static final ServingSignature SIGNATURE = new ServingSignature("serving_default", "image",
            List.of(-1L, 28L, 28L, 1L), List.of("logits", "probabilities"));
    private static final LabeledImages TEST = SyntheticImages.generate(300, 28, 5);
    private static final ImageSplit SPLIT = TEST.asSplit("test");
    private static final ModelInput INPUT = ModelInput.nhwc(28, 28, 1);
    private static final long SEED = 7;
    /** The order every split of 300 images is fed in under {@link #SEED}. */
    private static final int[] ORDER = io.prunestream.datasets.SeededSample.of(300, 300, SEED);

    @TempDir
    static Path folder;
    private static Path model;

    @BeforeAll
    static void trainOne() throws Exception {
        model = TrainedModels.smallCnn(folder.resolve("cnn"));
    }

    @Test
    void aSplitIsConvertedOncePerInputAndKeptWithinTheBudget() throws Exception {
        long split64 = 300L * 784 * Float.BYTES;
        PreparedInputs inputs = new PreparedInputs(split64 + 1, 1L << 30, 64, 1, SEED);
        PreparedSplit split = inputs.split("a", SPLIT, INPUT);
        assertThat(inputs.split("a", SPLIT, INPUT)).isSameAs(split);
        assertThat(inputs.split("a", SPLIT, ModelInput.nhwc(28, 28, 1))).as("an equal input").isSameAs(split);
        PreparedSplit raw = inputs.split("a", SPLIT, ModelInput.resolve(INPUT.shape(), TEST.shape(),
                new Preprocessing(1.0, null, null, null)));
        assertThat(raw).isNotSameAs(split);
        assertThat(split.batches()).isEqualTo(5);
        assertThat(split.size(4)).isEqualTo(300 - 4 * 64);
        for (int b = 0; b < split.batches(); b++) {
            assertThat(floats(split, b)).isEqualTo(INPUT.values(TEST, ORDER, split.from(b), split.size(b)));
        }
        assertThat(inputs.keptBytes()).as("the whole split, converted once").isEqualTo(split64);
        // Another input needs room: the split used least recently gives its batches up.
        for (int b = 0; b < raw.batches(); b++) {
            floats(raw, b);
        }
        assertThat(inputs.keptBytes()).isEqualTo(split64);
        assertThat(inputs.conversions()).isEqualTo(2);
        // Every reader gets its own position over the kept bytes: reading one view leaves the next one whole.
        raw.buffer(0).position(100);
        assertThat(raw.buffer(0).remaining()).isEqualTo(64 * 784 * Float.BYTES);
        assertThat(raw.buffer(0).isDirect()).as("what DJL copies into a tensor without a copy of its own").isTrue();
    }

    @Test
    void aSplitLargerThanTheBudgetKeepsItsFirstBatchesAndBigImagesGoInSmallerBatches() throws Exception {
        long batch = 64L * 784 * Float.BYTES;
        PreparedInputs inputs = new PreparedInputs(2 * batch, 32 * 784 * Float.BYTES, 256, 2, SEED);
        PreparedSplit split = inputs.split("a", SPLIT, INPUT);
        assertThat(split.batchSize()).as("batch-bytes over the bytes of one image").isEqualTo(32);
        for (int pass = 0; pass < 2; pass++) {
            for (int b = 0; b < split.batches(); b++) {
                assertThat(floats(split, b)).isEqualTo(INPUT.values(TEST, ORDER, split.from(b), split.size(b)));
            }
        }
        assertThat(inputs.keptBytes()).isLessThanOrEqualTo(2 * batch);
    }

    @Test
    void batchesAreFedAsTheyAreConvertedAndAreNotAllConvertedAtOnce() throws Exception {
        // A converter that has run nothing yet: the split is handed out at once, each batch waited for when fed.
        List<Runnable> queued = new java.util.ArrayList<>();
        Executor later = queued::add;
        PreparedSplit split = new PreparedSplit(SPLIT, INPUT, 30, ORDER, later,
                new PreparedInputs(1 << 30, 1 << 30, 30, 1, SEED));
        assertThat(queued).isEmpty();
        java.util.concurrent.CompletableFuture<float[]> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return floats(split, 0);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        while (queued.size() < 1 + PreparedSplit.AHEAD) {
            Thread.onSpinWait();
        }
        assertThat(queued).as("the batch asked for and the next ones, not all ten").hasSize(1 + PreparedSplit.AHEAD);
        queued.forEach(Runnable::run);
        assertThat(first.get()).isEqualTo(INPUT.values(TEST, ORDER, 0, 30));
    }

    @Test
    void everyInputOfASplitIsFedInOneRandomOrderAndASplitReadInOrderIsReadOncePerGroupOfBatches() throws Exception {
        PreparedInputs inputs = new PreparedInputs(1 << 30, 1 << 30, 64, 1, SEED);
        PreparedSplit split = inputs.split("a", SPLIT, INPUT);
        PreparedSplit raw = inputs.split("a", SPLIT, ModelInput.resolve(INPUT.shape(), TEST.shape(),
                new Preprocessing(1.0, null, null, null)));
        int[] positions = java.util.stream.IntStream.range(0, 300).map(split::image).toArray();
        assertThat(positions).as("a permutation of the split").containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, 300).toArray()).isNotEqualTo(
                java.util.stream.IntStream.range(0, 300).toArray());
        assertThat(java.util.stream.IntStream.range(0, 300).map(raw::image).toArray()).as("the same for every input")
                .isEqualTo(positions);
        assertThat(new PreparedInputs(1 << 30, 1 << 30, 64, 1, SEED + 1).order(300)).as("another seed")
                .isNotEqualTo(positions);

        // Read only in order (a gzip stream): each batch of a random order draws from the whole split, so a pass
        // converts as many batches as fit in it, not one.
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        ImageSplit streamed = new ImageSplit() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public int size() {
                return SPLIT.size();
            }

            @Override
            public int label(int index) {
                return SPLIT.label(index);
            }

            @Override
            public io.prunestream.datasets.ImageShape shape() {
                return SPLIT.shape();
            }

            @Override
            public void read(int from, int to, io.prunestream.datasets.ImageSink sink)
                    throws io.prunestream.datasets.DatasetException {
                passes.incrementAndGet();
                SPLIT.read(from, to, sink);
            }

            @Override
            public boolean randomAccess() {
                return false;
            }

            @Override
            public String locate(int index) {
                return SPLIT.locate(index);
            }
        };
        PreparedSplit gzip = inputs.split("gzip", streamed, INPUT);
        for (int b = 0; b < gzip.batches(); b++) {
            assertThat(floats(gzip, b)).isEqualTo(INPUT.values(TEST, ORDER, gzip.from(b), gzip.size(b)));
        }
        assertThat(passes.get()).as("five batches of 200 KB: one pass").isEqualTo(1);
    }

    /** Batch {@code b} of {@code split} as the floats a model is fed. */
    private static float[] floats(PreparedSplit split, int b) throws io.prunestream.datasets.DatasetException {
        float[] values = new float[split.size(b) * split.input().valuesPerImage()];
        split.buffer(b).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        return values;
    }

    @Test
    void float32ScoresAreThoseOfARawSession() throws Exception {
        PreparedSplit split = new PreparedInputs(1 << 30, 1 << 30, 64, 1, SEED).split("synthetic", SPLIT, INPUT);
        Score score = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10,
                new ScoringSession(Precision.FLOAT32), 0, null);
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
    void aVariantScoredSequentiallyStopsAtTheBatchAfterWhichItsRuleSaysSo() throws Exception {
        PreparedSplit split = new PreparedInputs(1 << 30, 1 << 30, 64, 1, SEED).split("synthetic", SPLIT, INPUT);
        ScoringSession session = new ScoringSession(Precision.FLOAT32);
        Score whole = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10, session, 0, null);
        // The model against itself: every image agrees, so a 30-point tolerance is met after the first batch...
        SequentialStop loose = new SequentialStop(whole.correctness(), 0.30, 0.2, 0.95);
        Score first = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10, session, 0, loose);
        assertThat(first.samples()).isEqualTo(64);
        assertThat(loose.stopping().reason()).isEqualTo(io.prunestream.events.StopReason.PRECISE);
        assertThat(loose.dropVsDense().estimate()).isZero();
        assertThat(first.batchLatencyP50Ms()).as("over the batch scored, not the ones skipped").isPositive();
        // ... and half a point not before the split's end: 300 images do not tell a drop to ±0.5 points.
        SequentialStop tight = new SequentialStop(whole.correctness(), 0.005, 0.2, 0.95);
        Score all = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10, session, 0, tight);
        assertThat(all.samples()).isEqualTo(300);
        assertThat(tight.stopping().reason()).isEqualTo(io.prunestream.events.StopReason.EXHAUSTED);
        assertThat(all.top1()).isEqualTo(whole.top1());
        assertThat(tight.top1Interval().contains(whole.top1())).isTrue();
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
        PreparedSplit split = new PreparedInputs(1 << 30, 1 << 30, 64, 1, SEED).split("synthetic", SPLIT, INPUT);
        Score exact = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10,
                new ScoringSession(Precision.FLOAT32), 0, null);
        Score fast = ModelScorer.score(model, SIGNATURE, Preprocessing.DEFAULT, split, 10, bfloat16, 0, null);
        assertThat(fast.precision()).isEqualTo(Precision.BFLOAT16);
        assertThat(fast.loss()).as("bfloat16 rounding moves the logits").isNotEqualTo(exact.loss());
        assertThat(fast.loss()).isCloseTo(exact.loss(), org.assertj.core.data.Offset.offset(0.05 * exact.loss()));
        assertThat(fast.top1()).isCloseTo(exact.top1(), org.assertj.core.data.Offset.offset(0.05));
    }
}
