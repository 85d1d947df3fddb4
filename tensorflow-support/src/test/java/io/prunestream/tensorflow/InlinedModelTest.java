package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/** A SavedModel with its functions inlined computes what the SavedModel computes, and every tensor is reachable. */
class InlinedModelTest {

    private static final LabeledImages IMAGES = SyntheticImages.generate(64, 28, 2);

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = ForeignModel.Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "KERAS_MLP_WIDE")
    void anInlinedTf2ModelAnswersAsTheSavedModelDoes(ForeignModel.Kind kind) throws Exception {
        ForeignModel model = ForeignModels.write(kind, temp.resolve("m"), SyntheticImages.generate(64, 28, 1), 10, 3);
        float[] expected;
        try (SavedModelRunner runner = SavedModelRunner.open(model.directory(), "serving_default", kind.inputName(),
                kind.outputName(), kind.preprocessing())) {
            expected = runner.run(IMAGES, 0, IMAGES.count());
        }
        try (InlinedModel inlined = InlinedModel.open(model.directory(), "serving_default",
                UnaryOperator.identity())) {
            assertThat(inlined.graphDef().getNodeList()).extracting(NodeDef::getOp)
                    .as("no call is left on the serving path").doesNotContain("StatefulPartitionedCall");
            ModelInput input = ModelInput.resolve(kind.inputShape(), IMAGES.shape(), kind.preprocessing());
            float[] actual = run(inlined, inlined.tensor("serving_default", kind.inputName()),
                    inlined.tensor("serving_default", kind.outputName()), input);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void aTf1GraphIsOpenedAsItIs() throws Exception {
        Path model = TrainedModels.smallCnn(temp.resolve("cnn"));
        float[] expected;
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", "image", "logits")) {
            expected = runner.run(IMAGES, 0, IMAGES.count());
        }
        try (InlinedModel inlined = InlinedModel.open(model, "serving_default", UnaryOperator.identity())) {
            float[] actual = run(inlined, inlined.tensor("serving_default", "image"),
                    inlined.tensor("serving_default", "logits"), ModelInput.nhwc(28, 28, 1));
            assertThat(actual).containsExactly(expected);
        }
    }

    private static float[] run(InlinedModel model, String input, String output, ModelInput feed) {
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(feed.batchShape(IMAGES.count())),
                DataBuffers.of(feed.values(IMAGES, 0, IMAGES.count()), true, false));
                Result result = model.session().runner().feed(input, images).fetch(output).run()) {
            TFloat32 out = (TFloat32) result.get(0);
            float[] values = new float[Math.toIntExact(out.size())];
            out.copyTo(DataBuffers.of(values, false, false));
            return values;
        }
    }
}
