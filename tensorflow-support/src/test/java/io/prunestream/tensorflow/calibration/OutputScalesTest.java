package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each conv's batch-norm scale, {@code gamma / sqrt(moving variance + epsilon)}, computed here from the checkpoint's
 * own values: Keras' FusedBatchNormV3 after a conv (epsilon 1e-3, the layer's), and the trainer's primitive batch
 * norms (every conv of a ResNet: stem, blocks, projections); a kernel no batch norm follows has none.
 */
class OutputScalesTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(160, 28, 1);

    @TempDir
    Path temp;

    @Test
    void kerasConvsTakeTheScaleOfTheFusedBatchNormAfterThem() throws Exception {
        ForeignModel model = ForeignModels.write(ForeignModel.Kind.KERAS_CNN_BN, temp.resolve("bn"), TRAIN, 50, 3);

        Map<String, double[]> scales = OutputScales.of(model.directory(), "serving_default");

        // Keras numbers the layers with weights: conv2d 0, batch_normalization 1, conv2d_1 2, ..._1 3, dense 4.
        assertThat(scales).containsOnlyKeys(key(0, "kernel"), key(2, "kernel"));
        for (int conv : new int[] {0, 2}) {
            float[] gamma = model.weights().get(key(conv + 1, "gamma"));
            float[] variance = model.weights().get(key(conv + 1, "moving_variance"));
            double[] scale = scales.get(key(conv, "kernel"));
            assertThat(scale).hasSameSizeAs(gamma);
            for (int c = 0; c < gamma.length; c++) {
                // The layer's epsilon is a float attribute: 1e-3 to seven digits.
                assertThat(scale[c]).isCloseTo(gamma[c] / Math.sqrt(variance[c] + 1e-3),
                        within(1e-6 * Math.abs(scale[c])));
            }
        }
    }

    @Test
    void theTrainersConvsTakeTheirPrimitiveBatchNormsScale() throws Exception {
        Path model = TrainedModels.tppResNet(temp.resolve("resnet")).model();
        ModelWeights weights = SavedModelReader.read(model);

        Map<String, double[]> scales = OutputScales.of(model, "serving_default");

        assertThat(scales).as("the stem, two per block, the two projection shortcuts").hasSize(9);
        assertThat(scales.keySet()).allSatisfy(key -> assertThat(key).endsWith("/kernel").doesNotContain("dense"));
        for (Map.Entry<String, double[]> entry : scales.entrySet()) {
            String prefix = entry.getKey().substring(0, entry.getKey().lastIndexOf('/'));
            // The trainer's layers: <block>/conv<k>/kernel, normalised by <block>/bn<k>/...; the stem's bn is "bn".
            String bn = prefix.replaceAll("conv(\\d*)$", "bn$1").replaceAll("shortcut$", "shortcut_bn");
            float[] gamma = weights.get(bn + "/gamma").values();
            float[] variance = weights.get(bn + "/moving_variance").values();
            for (int c = 0; c < gamma.length; c++) {
                assertThat(entry.getValue()[c]).as("%s channel %d", entry.getKey(), c)
                        .isCloseTo(gamma[c] / Math.sqrt(variance[c] + 1e-3), within(1e-9));
            }
        }
    }

    private static String key(int layer, String name) {
        return "layer_with_weights-" + layer + "/" + name + "/.ATTRIBUTES/VARIABLE_VALUE";
    }
}
