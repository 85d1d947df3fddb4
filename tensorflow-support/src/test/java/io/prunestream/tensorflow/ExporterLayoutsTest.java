package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import io.prunestream.tensorflow.calibration.CalibrationData;
import io.prunestream.tensorflow.calibration.LayerReconstruction;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two exporter layouts that lost whole curves in an outside trial, each reproduced by a fixture: an early TF 2.x
 * checkpoint whose loader restores the object graph with a {@code RestoreV2} of its own (the variant writer dropped
 * the key, and the variants did not load: "Key _CHECKPOINTABLE_OBJECT_GRAPH not found"), and Keras 3's
 * {@code model.export} with two signatures over one function (calibration fed one signature's placeholder and fetched
 * the other's tensors: "You must feed a value for placeholder tensor 'serve_keras_tensor'").
 */
class ExporterLayoutsTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(256, 28, 1);
    private static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_CNN_BN;

    @TempDir
    Path temp;

    @Test
    void aVariantOfAnEarlyTf2CheckpointKeepsEveryKeyItsLoaderRestores() throws Exception {
        ForeignModel model = ForeignModels.write(KIND, temp.resolve("early"), TRAIN, 40, 3,
                ForeignModels.Exporter.EARLY_TF2);
        SavedModelInfo info = SavedModelInspector.inspect(model.directory());
        assertThat(info.checkpointDtypes()).as("keys of both RestoreV2 ops").containsKey(
                "_CHECKPOINTABLE_OBJECT_GRAPH").containsKeys(model.kernels().toArray(String[]::new));

        Map<String, float[]> zeroed = new HashMap<>();
        for (String kernel : model.kernels()) {
            zeroed.put(kernel, new float[model.weights().get(kernel).length]);
        }
        Path variant = temp.resolve("variant");
        SavedModelWriter.write(SavedModelReader.read(model.directory()), variant, zeroed);

        // The loader runs the model's own restore, both RestoreV2 ops: it fails on a missing key.
        try (SavedModelRunner runner = SavedModelRunner.open(variant, "serving_default", KIND.inputName(),
                KIND.outputName(), KIND.preprocessing())) {
            assertThat(runner.run(TRAIN, 0, 4)).hasSize(40);
        }
        assertThat(SavedModelInspector.inspect(variant).checkpointDtypes()).isEqualTo(info.checkpointDtypes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"serving_default", "serve"})
    void calibrationOfAKeras3ExportFeedsAndFetchesOneSignaturesCopy(String signature) throws Exception {
        ForeignModel model = ForeignModels.write(KIND, temp.resolve("keras3"), TRAIN, 40, 3,
                ForeignModels.Exporter.KERAS3_EXPORT);
        assertThat(SavedModelInspector.inspect(model.directory()).signatures()).containsKeys("serve",
                "serving_default");
        CalibrationData data = CalibrationData.of(signature, KIND.inputName(), ModelInput.resolve(KIND.inputShape(),
                TRAIN.shape(), KIND.preprocessing()), TRAIN, 64);

        LayerReconstruction.Result reconstructed = LayerReconstruction.reconstruct(model.directory(),
                model.kernels().stream().map(k -> new LayerReconstruction.Target(k, 0.5)).toList(), data);
        assertThat(reconstructed.layers()).extracting(LayerReconstruction.Layer::solver)
                .as("each layer solved, none left to magnitude").allMatch(s -> !s.startsWith("magnitude"));
        assertThat(reconstructed.layers()).hasSize(model.kernels().size());

        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(model.directory(), data);
        assertThat(outcome.calibrated()).isTrue();
        assertThat(outcome.batchNorms()).as("one copy of the model's two batch norms").isEqualTo(2);
        assertThat(BatchNormCalibration.batchNorms(model.directory(), signature, SavedModelInspector.inspect(
                model.directory()).checkpointDtypes())).isEqualTo(2);
        assertThat(List.copyOf(outcome.statistics().keySet())).hasSize(4);
    }
}
