package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration in batches, as large images need it, against the same calibration in one batch: layer reconstruction
 * sums its Hessians over the batches, so it solves the same system (up to the order of float sums); batch-norm re-estimation combines the batches'
 * means and second moments exactly, so the first batch norm (whose input no batch norm changes) gets the same
 * statistics, and the later ones nearly the same.
 */
class CalibrationBatchesTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(256, 28, 1);
    private static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_CNN_BN;

    @TempDir
    static Path temp;
    private static ForeignModel model;
    private static CalibrationData whole;
    private static CalibrationData batched;

    @BeforeAll
    static void write() throws Exception {
        model = ForeignModels.write(KIND, temp.resolve("cnn"), TRAIN, 80, 5);
        whole = CalibrationData.of("serving_default", KIND.inputName(), ModelInput.resolve(KIND.inputShape(),
                TRAIN.shape(), KIND.preprocessing()), TRAIN, 128);
        batched = whole.withBatchBytes(20L * 784 * Float.BYTES);
    }

    @Test
    void batchesCoverEveryImageOnce() throws Exception {
        assertThat(whole.batches()).isEqualTo(1);
        assertThat(batched.batchSize()).isEqualTo(20);
        assertThat(batched.batches()).isEqualTo(7);
        assertThat(batched.size(6)).isEqualTo(8);
        float[] all = whole.batch(0);
        for (int b = 0; b < batched.batches(); b++) {
            float[] part = batched.batch(b);
            assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(all, b * 20 * 784, b * 20 * 784 + part.length));
        }
    }

    @Test
    void reconstructionInBatchesSolvesTheSameSystem() throws Exception {
        // One layer: its inputs are the images in both, so its system is the same up to the order of float sums.
        List<LayerReconstruction.Target> first = List.of(new LayerReconstruction.Target(model.kernels().get(0), 0.6));
        assertSame(LayerReconstruction.reconstruct(model.directory(), first, whole),
                LayerReconstruction.reconstruct(model.directory(), first, batched), 0.995, 0.01);
        // Every layer: a weight that crossed the cut in one layer changes what the next ones see, a little. How
        // many cross depends on TensorFlow's threads summing in another order from run to run: the last layer's
        // kept values were seen to differ by 3 to 11% (L1, relative), the removed sets to agree on over 97%.
        List<LayerReconstruction.Target> all = model.kernels().stream()
                .map(k -> new LayerReconstruction.Target(k, 0.6)).toList();
        assertSame(LayerReconstruction.reconstruct(model.directory(), all, whole),
                LayerReconstruction.reconstruct(model.directory(), all, batched), 0.97, 0.15);
    }

    private static void assertSame(LayerReconstruction.Result one, LayerReconstruction.Result many,
            double agreement, double relativeDifference) {
        for (String key : one.kernels().keySet()) {
            float[] a = one.kernels().get(key);
            float[] b = many.kernels().get(key);
            // Float sums in another order move near-ties of the removal scores across the cut: a few weights.
            int agree = 0;
            double difference = 0;
            double magnitude = 0;
            for (int i = 0; i < a.length; i++) {
                agree += (a[i] == 0) == (b[i] == 0) ? 1 : 0;
                difference += Math.abs(a[i] - b[i]);
                magnitude += Math.abs(a[i]);
            }
            assertThat(agree).as("%s: the same weights removed", key).isGreaterThanOrEqualTo((int) (agreement
                    * a.length));
            assertThat(difference).as("%s: the same kept values", key).isLessThan(relativeDifference * magnitude);
        }
    }

    @Test
    void batchNormStatisticsCombineAcrossBatches() throws Exception {
        Map<String, float[]> one = BatchNormCalibration.calibrate(model.directory(), whole).statistics();
        Map<String, float[]> many = BatchNormCalibration.calibrate(model.directory(), batched).statistics();
        assertThat(many.keySet()).containsExactlyElementsOf(one.keySet());
        List<String> keys = List.copyOf(one.keySet());
        // The first batch norm's input comes before any batch norm: the same data, the same statistics.
        for (String key : keys.subList(0, 2)) {
            float[] a = one.get(key);
            float[] b = many.get(key);
            for (int c = 0; c < a.length; c++) {
                assertThat(b[c]).as("%s[%d]", key, c).isCloseTo(a[c], within(1e-4f * Math.max(1, Math.abs(a[c]))));
            }
        }
        for (String key : keys.subList(2, keys.size())) {
            float[] a = one.get(key);
            float[] b = many.get(key);
            for (int c = 0; c < a.length; c++) {
                assertThat(b[c]).as("%s[%d]", key, c).isCloseTo(a[c], within(0.1f * Math.max(1, Math.abs(a[c]))));
            }
        }
    }
}
