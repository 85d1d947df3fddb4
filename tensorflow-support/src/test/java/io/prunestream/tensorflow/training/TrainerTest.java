package io.prunestream.tensorflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.WeightTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TensorFlow training on generated 28x28 images. */
class TrainerTest {

    private static LabeledImages train;
    private static LabeledImages test;

    @TempDir
    Path temp;

    @BeforeAll
    static void data() {
        train = SyntheticImages.generate(640, 28, 1);
        test = SyntheticImages.generate(200, 28, 2);
    }

    @Test
    void aShortPlainTrainingLowersTheLossAndTheExportGivesTheTrainingGraphsPredictions() throws Exception {
        TrainingSpec spec = spec(MethodSpec.plain(), 2);
        Recorder recorder = new Recorder(temp);

        List<EpochResult> epochs = new Trainer(spec, train, test).run(recorder);

        assertThat(epochs).hasSize(2);
        assertThat(recorder.progress.get(0).loss()).isGreaterThan(recorder.progress.get(recorder.progress.size() - 1)
                .loss());
        assertThat(epochs.get(1).testAccuracy()).isGreaterThan(0.5);
        assertThat(recorder.progress).allSatisfy(p -> assertThat(p.imagesPerSecond()).isPositive());

        float[] djl = djlLogits(recorder.exported.get(1), test);
        assertThat(djl).containsExactly(recorder.graphLogits.get(1), within(1e-4f));
    }

    @Test
    void hypersphericalTrainingExportsUnitNormFilters() throws Exception {
        Recorder recorder = new Recorder(temp);

        new Trainer(spec(new MethodSpec(true, "none", 0.0, null, null, null, null), 1), train, test).run(recorder);

        ModelWeights weights = SavedModelReader.read(recorder.exported.get(0));
        List<String> kernels = new ArrayList<>();
        for (WeightTensor tensor : weights.tensors()) {
            if (tensor.key().endsWith("/kernel")) {
                kernels.add(tensor.key());
                List<Long> shape = tensor.spec().shape();
                int filters = Math.toIntExact(shape.get(shape.size() - 1));
                int fanIn = tensor.values().length / filters;
                for (int f = 0; f < filters; f++) {
                    double squares = 0;
                    for (int i = 0; i < fanIn; i++) {
                        squares += Math.pow(tensor.values()[i * filters + f], 2);
                    }
                    assertThat(Math.sqrt(squares)).as("%s filter %d", tensor.key(), f).isCloseTo(1.0, within(1e-5));
                }
            }
        }
        assertThat(kernels).containsExactlyInAnyOrder("conv1/kernel", "conv2/kernel", "dense1/kernel",
                "cosine1/kernel");
        assertThat(djlLogits(recorder.exported.get(0), test)).containsExactly(recorder.graphLogits.get(0),
                within(1e-4f));
    }

    @Test
    void thePenaltyPushesFarMoreWeightsTowardsZero() throws Exception {
        Recorder without = new Recorder(temp.resolve("without"));
        Recorder with = new Recorder(temp.resolve("with"));
        new Trainer(spec(new MethodSpec(true, "none", 0.0, null, null, null, null), 3), train, test).run(without);
        new Trainer(spec(new MethodSpec(true, "l1", 100.0, null, "weight", null, null), 3), train, test).run(with);

        for (double limit : new double[] {0.05, 0.01, 0.001}) {
            System.out.printf("share of |w| below %s: %.4f without the penalty, %.4f with it%n", limit,
                    shareBelow(SavedModelReader.read(without.exported.get(2)), limit),
                    shareBelow(SavedModelReader.read(with.exported.get(2)), limit));
        }
        double off = shareBelow(SavedModelReader.read(without.exported.get(2)), 0.001);
        double on = shareBelow(SavedModelReader.read(with.exported.get(2)), 0.001);
        assertThat(on).isGreaterThan(2 * off).isGreaterThan(0.1);
    }

    @Test
    void theQuantilePenaltySplitsEachKernelAroundItsTarget() throws Exception {
        Recorder without = new Recorder(temp.resolve("without"));
        Recorder with = new Recorder(temp.resolve("with"));
        new Trainer(spec(new MethodSpec(true, "none", 0.0, null, null, null, null), 3), train, test).run(without);
        new Trainer(spec(new MethodSpec(true, "quantile", 100.0, null, "layer", 0.7, 1.5), 3), train, test)
                .run(with);

        // The 70% smallest magnitudes of conv1 are pushed towards zero: their mean falls well below the plain one.
        double off = lowMean(SavedModelReader.read(without.exported.get(2)).get("conv1/kernel").values(), 0.7);
        double on = lowMean(SavedModelReader.read(with.exported.get(2)).get("conv1/kernel").values(), 0.7);
        System.out.printf("conv1: mean of the lowest 70%% of |w|: %.5f without the penalty, %.5f with it%n", off, on);
        assertThat(on).isLessThan(off / 2);
        assertThat(with.progress).allSatisfy(p -> assertThat(p.loss()).isFinite());
    }

    @Test
    void aSmallResNetWithBatchNormTrainsAndItsExportMatchesTheGraph() throws Exception {
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec("resnet", 8, 4, null, null),
                new OptimizerSpec("adam", 0.01, null, 1e-4, "constant", null, null), MethodSpec.defaults(), 32, 1,
                7L, 5);
        Recorder recorder = new Recorder(temp);

        List<EpochResult> epochs = new Trainer(spec, train, test).run(recorder);

        assertThat(epochs).hasSize(1);
        assertThat(recorder.progress.get(0).loss()).isGreaterThan(recorder.progress.get(recorder.progress.size() - 1)
                .loss());
        ModelWeights weights = SavedModelReader.read(recorder.exported.get(0));
        assertThat(weights.contains("bn1/moving_mean")).isTrue();
        // Found from the ops that consume them: 1 stem conv, 6 block convs, 2 shortcuts, the classifier.
        assertThat(weights.model().prunableKernels()).hasSize(10)
                .extracting(io.prunestream.tensorflow.PrunableKernel::kind).containsOnly("conv", "dense")
                .endsWith("dense");
        assertThat(djlLogits(recorder.exported.get(0), test)).containsExactly(recorder.graphLogits.get(0),
                within(1e-3f));
    }

    @Test
    void theSameSeedGivesTheSameTraining() throws Exception {
        TrainingSpec spec = spec(MethodSpec.defaults(), 1);
        Recorder first = new Recorder(temp.resolve("a"));
        Recorder second = new Recorder(temp.resolve("b"));

        new Trainer(spec, train, test).run(first);
        new Trainer(spec, train, test).run(second);

        assertThat(second.graphLogits.get(0)).containsExactly(first.graphLogits.get(0), within(1e-4f));
    }

    @Test
    void cancellingStopsBeforeTheNextStep() throws Exception {
        Recorder recorder = new Recorder(temp) {
            @Override
            public boolean cancelled() {
                return progress.size() >= 2;
            }
        };

        List<EpochResult> epochs = new Trainer(spec(MethodSpec.plain(), 5), train, test).run(recorder);

        assertThat(epochs).isEmpty();
        assertThat(recorder.progress).hasSize(2);
    }

    static TrainingSpec spec(MethodSpec method, int epochs) {
        return new TrainingSpec(ArchitectureSpec.defaults(), new OptimizerSpec(null, 0.01, null, null, "constant", null,
                null), method, 32, epochs, 3L, 4);
    }

    static double shareBelow(ModelWeights weights, double limit) {
        long below = 0;
        long total = 0;
        for (WeightTensor tensor : weights.tensors()) {
            if (tensor.key().endsWith("/kernel")) {
                for (float value : tensor.values()) {
                    below += Math.abs(value) < limit ? 1 : 0;
                }
                total += tensor.values().length;
            }
        }
        return (double) below / total;
    }

    static double lowMean(float[] values, double share) {
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        java.util.Arrays.sort(magnitudes);
        int n = (int) Math.round(share * magnitudes.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += magnitudes[i];
        }
        return sum / n;
    }

    static float[] djlLogits(Path model, LabeledImages data) throws Exception {
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(model).optEngine("TensorFlow").optOption("SignatureDefKey", "serving_default").build();
        float[] pixels = new float[data.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (data.pixels()[i] & 0xFF) / 255f;
        }
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel();
                Predictor<NDList, NDList> predictor = zoo.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.create(pixels, new Shape(data.count(), data.rows(), data.columns(), 1));
            image.setName("image");
            return predictor.predict(new NDList(image)).get("logits").toFloatArray();
        }
    }

    /** Records progress, exports every epoch and keeps the training graph's own logits on the test split. */
    static class Recorder implements TrainingListener {
        final Path folder;
        final List<Progress> progress = new ArrayList<>();
        final List<Path> exported = new ArrayList<>();
        final List<float[]> graphLogits = new ArrayList<>();

        Recorder(Path folder) {
            this.folder = folder;
        }

        @Override
        public void onProgress(Progress p) {
            progress.add(p);
        }

        @Override
        public void onEpoch(EpochResult result, ModelExport export) throws Exception {
            Path dir = folder.resolve("epoch" + result.epoch());
            export.exportTo(dir);
            exported.add(dir);
            graphLogits.add(export.logits(test));
            assertThat(export.inputShape()).isEqualTo(List.of(-1L, 28L, 28L, 1L));
            assertThat(Map.of("epoch", result.epoch())).isNotEmpty();
        }
    }
}
