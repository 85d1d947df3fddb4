package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.Preprocessing;
import io.prunestream.pruning.reconstruction.ErrorCurve;
import io.prunestream.pruning.reconstruction.SparsityAllocation;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options of {@code obs} on a Keras MLP (784 -> 128 -> 10), its outputs computed here from the weights: one stage
 * is the single-stage result; more stages reach the same sparsity; the error curves rise from zero and their
 * allocation meets its budget; and the classifier fitted on the pruned
 * network's inputs reproduces the dense output on held-out images better than one fitted on the dense network's
 * (the first layer, pruned to 80%, changes the classifier's inputs a lot: the difference is known to be large).
 */
class ReconstructionOptionsTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(384, 28, 1);
    private static final int CALIBRATION = 256;
    private static final String W1 = "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE";
    private static final String B1 = "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE";
    private static final String W2 = "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE";
    private static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_MLP_FLAT;

    @TempDir
    static Path temp;
    private static ForeignModel model;
    private static CalibrationData data;

    @BeforeAll
    static void model() throws Exception {
        model = ForeignModels.write(KIND, temp.resolve("mlp"), TRAIN, 150, 7);
        data = CalibrationData.of("serving_default", KIND.inputName(), ModelInput.resolve(KIND.inputShape(),
                TRAIN.shape(), Preprocessing.DEFAULT), TRAIN, CALIBRATION);
    }

    @Test
    void oneStageIsTheSingleStageResult() throws Exception {
        List<LayerReconstruction.Target> targets = targets(0.7);

        LayerReconstruction.Result single = LayerReconstruction.reconstruct(model.directory(), targets, data);
        LayerReconstruction.Result staged = LayerReconstruction.reconstruct(model.directory(), targets, data,
                ReconstructionOptions.defaults().withStages(1));

        assertThat(staged.kernels().get(W1)).containsExactly(single.kernels().get(W1));
        assertThat(staged.kernels().get(W2)).containsExactly(single.kernels().get(W2));
    }

    @Test
    void threeStagesRemoveAsManyWeightsAsOne() throws Exception {
        LayerReconstruction.Result single = LayerReconstruction.reconstruct(model.directory(), targets(0.7), data);
        LayerReconstruction.Result staged = LayerReconstruction.reconstruct(model.directory(), targets(0.7), data,
                ReconstructionOptions.defaults().withStages(3));

        // SparseGPT rounds per block of 128 columns (784 x 128 at 70%: 70,248); exact OBS over the layer (896).
        assertThat(staged.layers()).extracting(LayerReconstruction.Layer::pruned).containsExactly(70_248, 896);
        assertThat(single.layers()).extracting(LayerReconstruction.Layer::pruned).containsExactly(70_248, 896);
        assertThat(zeros(staged.kernels().get(W1))).isEqualTo(70_248);
        assertThat(staged.kernels().get(W2)).isNotEqualTo(single.kernels().get(W2));
    }

    @Test
    void theClassifierFittedOnThePrunedInputsBeatsTheOneFittedOnTheDenseInputsOnHeldOutImages() throws Exception {
        List<LayerReconstruction.Target> targets = List.of(new LayerReconstruction.Target(W1, 0.8),
                new LayerReconstruction.Target(W2, 0.5));

        LayerReconstruction.Result pruned = LayerReconstruction.reconstruct(model.directory(), targets, data);
        LayerReconstruction.Result dense = LayerReconstruction.reconstruct(model.directory(), targets, data,
                ReconstructionOptions.defaults().withPrunedInputs(false));

        // The first layer sees the images either way: the same kernel.
        assertThat(dense.kernels().get(W1)).containsExactly(pruned.kernels().get(W1));
        double fromPruned = heldOutError(pruned);
        double fromDense = heldOutError(dense);
        assertThat(fromPruned).isLessThan(0.8 * fromDense);
    }

    @Test
    void theLayersCurvesRiseFromZeroAndTheirAllocationMeetsTheBudget() throws Exception {
        List<ErrorCurve> curves = LayerCurves.measure(model.directory(), List.of(W1, W2), data, Integer.MAX_VALUE);

        assertThat(curves).extracting(ErrorCurve::name).containsExactly(W1, W2);
        for (ErrorCurve curve : curves) {
            double[] errors = curve.errors();
            assertThat(errors[0]).isZero();
            assertThat(errors[errors.length - 1]).isGreaterThan(errors[errors.length / 2]).isGreaterThan(0);
        }
        Map<String, Double> shares = SparsityAllocation.allocate(curves, 0.9);
        assertThat(Math.round(shares.get(W1) * 784 * 128) + Math.round(shares.get(W2) * 1280))
                .isGreaterThanOrEqualTo(Math.round(0.9 * (784 * 128 + 1280)));
    }

    private static List<LayerReconstruction.Target> targets(double sparsity) {
        return List.of(new LayerReconstruction.Target(W1, sparsity), new LayerReconstruction.Target(W2, sparsity));
    }

    private static long zeros(float[] values) {
        long zeros = 0;
        for (float v : values) {
            zeros += v == 0 ? 1 : 0;
        }
        return zeros;
    }

    /** The squared difference of the logits (before the bias, which both share) from the dense model's. */
    private static double heldOutError(LayerReconstruction.Result result) {
        float[] b1 = model.weights().get(B1);
        double error = 0;
        for (int n = CALIBRATION; n < TRAIN.count(); n++) {
            double[] x = new double[784];
            for (int p = 0; p < 784; p++) {
                x[p] = (TRAIN.pixels()[n * 784 + p] & 0xFF) / 255.0;
            }
            double[] want = logits(hidden(x, model.weights().get(W1), b1), model.weights().get(W2));
            double[] got = logits(hidden(x, result.kernels().get(W1), b1), result.kernels().get(W2));
            for (int o = 0; o < 10; o++) {
                error += (want[o] - got[o]) * (want[o] - got[o]);
            }
        }
        return error;
    }

    private static double[] hidden(double[] x, float[] w, float[] bias) {
        double[] h = new double[128];
        for (int o = 0; o < 128; o++) {
            double s = bias[o];
            for (int p = 0; p < 784; p++) {
                s += x[p] * w[p * 128 + o];
            }
            h[o] = Math.max(0, s);
        }
        return h;
    }

    private static double[] logits(double[] h, float[] w) {
        double[] out = new double[10];
        for (int o = 0; o < 10; o++) {
            for (int p = 0; p < 128; p++) {
                out[o] += h[p] * w[p * 10 + o];
            }
        }
        return out;
    }
}
