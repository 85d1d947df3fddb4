package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model rewritten by {@link SavedModelWriter} loads in DJL, and its outputs change exactly as the edit says. */
class DjlLoadingTest {

    @TempDir
    Path temp;

    @Test
    void aRewrittenModelLoadsInDjlAndItsLogitsFollowTheEdit() throws Exception {
        LinearModel original = LinearModel.random(11);
        Path source = original.export(temp.resolve("original"));
        float[] inputs = randomInputs(64);

        assertThat(djlLogits(source, inputs)).containsExactly(original.logits(inputs), within(1e-5f));

        // The edit: zero the weights into class 1 and shift every bias by one.
        float[] kernel = original.kernel().clone();
        for (int i = 0; i < LinearModel.INPUTS; i++) {
            kernel[i * LinearModel.CLASSES + 1] = 0f;
        }
        float[] bias = original.bias().clone();
        for (int c = 0; c < bias.length; c++) {
            bias[c] += 1f;
        }
        Path edited = temp.resolve("edited");
        SavedModelWriter.write(SavedModelReader.read(source), edited,
                Map.of(LinearModel.KERNEL, kernel, LinearModel.BIAS, bias));

        float[] expected = new LinearModel(kernel, bias).logits(inputs);
        float[] actual = djlLogits(edited, inputs);
        assertThat(actual).containsExactly(expected, within(1e-5f));
        for (int row = 0; row < 64; row++) {
            // Class 1 now ignores its input entirely: its logit is the new bias.
            assertThat(actual[row * LinearModel.CLASSES + 1]).isEqualTo(bias[1]);
        }
    }

    @Test
    void theEngineRunsOnTheDeviceDjlReports() throws Exception {
        var engine = TensorFlowRuntime.start();

        assertThat(engine.getEngineName()).isEqualTo("TensorFlow");
        assertThat(engine.defaultDevice()).isIn(Device.cpu(), Device.gpu());
        assertThat(TensorFlowRuntime.nativesDir().resolve("libtensorflow_cc.so.2")).exists();
        System.out.println("versions: " + TensorFlowRuntime.versions());
        assertThat(TensorFlowRuntime.versions().get("tensorflow")).matches("2\\.\\d+\\.\\d+.*");
    }

    private static float[] djlLogits(Path model, float[] inputs) throws Exception {
        TensorFlowRuntime.start();
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(model)
                .optEngine("TensorFlow")
                .optOption("SignatureDefKey", "serving_default")
                .build();
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel();
                Predictor<NDList, NDList> predictor = zoo.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.create(inputs, new Shape(inputs.length / LinearModel.INPUTS, LinearModel.INPUTS));
            image.setName("image");
            NDList outputs = predictor.predict(new NDList(image));
            NDArray logits = outputs.get("logits");
            assertThat(logits).as("output named logits in %s", outputs).isNotNull();
            return logits.toFloatArray();
        }
    }

    private static float[] randomInputs(int rows) {
        Random random = new Random(3);
        float[] inputs = new float[rows * LinearModel.INPUTS];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextGaussian();
        }
        return inputs;
    }
}
