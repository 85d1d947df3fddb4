package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.Preprocessing;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.graph.BatchNormFinder;
import io.prunestream.tensorflow.graph.FunctionInliner;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.IndependentPruning;
import io.prunestream.tensorflow.testing.TrainedModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Re-estimated statistics are those of the calibration activations, computed here directly from the pruned network's
 * batch-norm inputs; and on a model trained with batch norm, calibration does not lose accuracy after pruning.
 */
class BatchNormCalibrationTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(320, 28, 1);
    private static final LabeledImages TEST = SyntheticImages.generate(300, 28, 2);

    @TempDir
    Path temp;

    @Test
    void kerasFusedBatchNormsGetTheExactStatisticsOfThePrunedNetwork() throws Exception {
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_CNN_BN;
        ForeignModel model = ForeignModels.write(kind, temp.resolve("dense"), TRAIN, 150, 7);
        Path pruned = prune(model, 0.7, temp.resolve("pruned"));
        ModelInput feed = ModelInput.resolve(kind.inputShape(), TRAIN.shape(), Preprocessing.DEFAULT);
        CalibrationData data = CalibrationData.of("serving_default", kind.inputName(), feed, TRAIN, 256);

        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(pruned, data);
        assertThat(outcome.calibrated()).isTrue();
        assertThat(outcome.batchNorms()).isEqualTo(2);
        Path calibrated = temp.resolve("calibrated");
        SavedModelWriter.write(SavedModelReader.read(pruned), calibrated, outcome.statistics());

        assertStatisticsAreThoseOfTheInputs(calibrated, data, outcome.statistics());
        double before = ForeignModels.savedModelTop1(kind, pruned, TEST);
        double after = ForeignModels.savedModelTop1(kind, calibrated, TEST);
        assertThat(after).as("calibrated %.4f against %.4f", after, before).isGreaterThanOrEqualTo(before);
    }

    @Test
    void theTrainersPrimitiveBatchNormsAreReestimatedToo() throws Exception {
        Path model = TrainedModels.tppResNet(temp.resolve("resnet")).model();
        CalibrationData data = CalibrationData.of("serving_default", "image", ModelInput.nhwc(28, 28, 1), TRAIN,
                128);
        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(model, data);
        assertThat(outcome.calibrated()).isTrue();
        assertThat(outcome.batchNorms()).as("the stem, two per block, and the two projection shortcuts").isEqualTo(9);
        Path calibrated = temp.resolve("calibrated");
        SavedModelWriter.write(SavedModelReader.read(model), calibrated, outcome.statistics());
        assertStatisticsAreThoseOfTheInputs(calibrated, data, outcome.statistics());
    }

    @Test
    void aModelWithoutBatchNormSaysSo() throws Exception {
        Path model = TrainedModels.smallCnn(temp.resolve("cnn"));
        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(model, CalibrationData.of(
                "serving_default", "image", ModelInput.nhwc(28, 28, 1), TRAIN, 16));
        assertThat(outcome.calibrated()).isFalse();
        assertThat(outcome.skipped()).startsWith("no batch norm whose statistics are variables");
    }

    /** Each batch norm's input, fetched from the calibrated model in inference mode, has the written statistics. */
    private static void assertStatisticsAreThoseOfTheInputs(Path model, CalibrationData data,
            Map<String, float[]> statistics) throws Exception {
        List<BatchNormFinder.Site> sites = BatchNormFinder.find(FunctionInliner.inline(
                SavedModelInspector.serveMetaGraph(model).getGraphDef()), SavedModelInspector.inspect(model)
                        .checkpointDtypes());
        try (InlinedModel running = InlinedModel.open(model, "serving_default", UnaryOperator.identity());
                TFloat32 images = TFloat32.tensorOf(Shape.of(data.feed().batchShape(data.count())),
                        DataBuffers.of(data.images(0, data.count()), true, false))) {
            var runner = running.session().runner().feed(running.tensor("serving_default", data.inputName()),
                    images);
            Map<String, String> inputs = new HashMap<>();
            for (BatchNormFinder.Site site : sites) {
                String input = site.form() == BatchNormFinder.Form.FUSED ? inputOf(running, site.node())
                        : inputOf(running, site.node());
                inputs.put(site.meanKey(), input);
                runner.fetch(input);
            }
            try (Result result = runner.run()) {
                for (int i = 0; i < sites.size(); i++) {
                    TFloat32 x = (TFloat32) result.get(i);
                    int channels = (int) x.shape().get(x.shape().numDimensions() - 1);
                    float[] values = new float[Math.toIntExact(x.size())];
                    x.copyTo(DataBuffers.of(values, false, false));
                    double[] sum = new double[channels];
                    double[] squares = new double[channels];
                    for (int v = 0; v < values.length; v++) {
                        sum[v % channels] += values[v];
                    }
                    long per = values.length / channels;
                    for (int v = 0; v < values.length; v++) {
                        double d = values[v] - sum[v % channels] / per;
                        squares[v % channels] += d * d;
                    }
                    float[] mean = statistics.get(sites.get(i).meanKey());
                    float[] variance = statistics.get(sites.get(i).varianceKey());
                    for (int c = 0; c < channels; c++) {
                        assertThat((double) mean[c]).as("mean of channel %d of %s", c, sites.get(i).meanKey())
                                .isCloseTo(sum[c] / per, within(1e-4 * Math.max(1, Math.abs(sum[c] / per))));
                        assertThat((double) variance[c]).as("variance of channel %d of %s", c,
                                sites.get(i).varianceKey()).isCloseTo(squares[c] / per,
                                        within(1e-3 * Math.max(1e-3, squares[c] / per)));
                    }
                }
            }
        }
    }

    /** The data input of a node of the running graph. */
    private static String inputOf(InlinedModel model, String node) {
        return model.graphDef().getNodeList().stream().filter(n -> n.getName().equals(node)).findFirst()
                .orElseThrow().getInput(0);
    }

    /** Every kernel pruned to {@code sparsity} (zeros), written as a new SavedModel. */
    private static Path prune(ForeignModel model, double sparsity, Path target) throws Exception {
        ModelWeights weights = SavedModelReader.read(model.directory());
        Map<String, float[]> replacements = new HashMap<>();
        List<long[]> filters = IndependentPruning.filters(model.kind());
        for (int k = 0; k < model.kernels().size(); k++) {
            String key = model.kernels().get(k);
            replacements.put(key, IndependentPruning.prune(model.weights().get(key), sparsity, false, filters.get(k)));
        }
        SavedModelWriter.write(weights, target, replacements);
        return target;
    }
}
