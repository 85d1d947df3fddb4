package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.Preprocessing;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.nio.file.Path;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OBS on a Keras MLP (784 -> 128 -> 10): the small classifier is solved exactly, and its kept weights are the
 * least-squares optimum computed here by brute force: from its inputs in the pruned network, the dense classifier's
 * output on the dense network's inputs; both layers miss that target on the calibration images by less than
 * zeroing the same weights does.
 */
class LayerReconstructionTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(320, 28, 1);
    private static final int N = 128;
    private static final String W1 = "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE";
    private static final String B1 = "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE";
    private static final String W2 = "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE";

    @TempDir
    Path temp;

    @Test
    void theClassifierIsTheLeastSquaresOptimumAndBothLayersBeatZeroing() throws Exception {
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_MLP_FLAT;
        ForeignModel model = ForeignModels.write(kind, temp.resolve("mlp"), TRAIN, 150, 7);
        CalibrationData data = CalibrationData.of("serving_default", kind.inputName(), ModelInput.resolve(
                kind.inputShape(), TRAIN.shape(), Preprocessing.DEFAULT), TRAIN, N);

        LayerReconstruction.Result result = LayerReconstruction.reconstruct(model.directory(),
                List.of(new LayerReconstruction.Target(W1, 0.5), new LayerReconstruction.Target(W2, 0.5)), data);

        assertThat(result.layers()).extracting(LayerReconstruction.Layer::solver)
                .containsExactly("sparsegpt", "exact");
        assertThat(result.layers()).extracting(LayerReconstruction.Layer::pruned).containsExactly(50_176, 640);
        // The first layer's inputs are the images; the second's, the first's reconstructed output.
        double[] x1 = images();
        double[] x2 = hidden(x1, result.kernels().get(W1), model.weights().get(B1));
        float[] w1 = model.weights().get(W1);
        double[] d2 = hidden(x1, w1, model.weights().get(B1));
        float[] w2 = model.weights().get(W2);
        float[] r1 = result.kernels().get(W1);
        float[] r2 = result.kernels().get(W2);
        assertThat(error(x1, x1, w1, r1, 784, 128)).isLessThan(error(x1, x1, w1, zeroedLike(w1, r1), 784, 128));
        assertThat(error(x2, d2, w2, r2, 128, 10)).isLessThan(error(x2, d2, w2, zeroedLike(w2, r2), 128, 10));

        // Brute force: per output, the kept weights solve H_KK u = (X^T D w)_K, H = X^T X plus the same damping,
        // X the pruned network's hidden layer, D the dense one's.
        double[] cross = product(x2, d2, 128);
        double[] h = product(x2, x2, 128);
        HessianAlgebra.damp(h, 128);
        for (int o = 0; o < 10; o++) {
            int output = o;
            int[] kept = java.util.stream.IntStream.range(0, 128).filter(p -> r2[p * 10 + output] != 0).toArray();
            double[] a = new double[kept.length * kept.length];
            double[] b = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                for (int j = 0; j < kept.length; j++) {
                    a[i * kept.length + j] = h[kept[i] * 128 + kept[j]];
                }
                for (int p = 0; p < 128; p++) {
                    b[i] += cross[kept[i] * 128 + p] * w2[p * 10 + o];
                }
            }
            double[] u = gauss(a, b, kept.length);
            for (int i = 0; i < kept.length; i++) {
                assertThat((double) r2[kept[i] * 10 + o]).as("output %d, input %d", o, kept[i])
                        .isCloseTo(u[i], within(1e-3 * Math.max(1, Math.abs(u[i]))));
            }
        }
    }

    private static double[] images() {
        double[] x = new double[N * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (TRAIN.pixels()[i] & 0xFF) / 255.0;
        }
        return x;
    }

    private static double[] hidden(double[] x, float[] w, float[] bias) {
        double[] h = new double[N * 128];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < 128; o++) {
                double s = bias[o];
                for (int p = 0; p < 784; p++) {
                    s += x[n * 784 + p] * w[p * 128 + o];
                }
                h[n * 128 + o] = Math.max(0, s);
            }
        }
        return h;
    }

    /** {@code x^T y}, both N x d. */
    private static double[] product(double[] x, double[] y, int d) {
        double[] h = new double[d * d];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < d; i++) {
                double xi = x[n * d + i];
                if (xi != 0) {
                    for (int j = 0; j < d; j++) {
                        h[i * d + j] += xi * y[n * d + j];
                    }
                }
            }
        }
        return h;
    }

    /** The weights of {@code w} zeroed where {@code reconstructed} has zeros: zeroing the same mask. */
    private static float[] zeroedLike(float[] w, float[] reconstructed) {
        float[] z = w.clone();
        for (int i = 0; i < z.length; i++) {
            if (reconstructed[i] == 0) {
                z[i] = 0;
            }
        }
        return z;
    }

    /**
     * Sum over samples and outputs of the squared distance of the pruned layer's output on its inputs {@code x} from
     * the dense layer's on the dense inputs {@code dense}: both N x in, w ([in, out]).
     */
    private static double error(double[] x, double[] dense, float[] w, float[] pruned, int in, int out) {
        double error = 0;
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < out; o++) {
                double diff = 0;
                for (int p = 0; p < in; p++) {
                    diff += x[n * in + p] * pruned[p * out + o] - dense[n * in + p] * w[p * out + o];
                }
                error += diff * diff;
            }
        }
        return error;
    }

    /** The test's own solver, independent of the code under test: EJML's LU with pivoting. */
    private static double[] gauss(double[] a, double[] b, int d) {
        DMatrixRMaj x = new DMatrixRMaj(d, 1);
        if (!CommonOps_DDRM.solve(new DMatrixRMaj(d, d, true, a), new DMatrixRMaj(d, 1, true, b), x)) {
            throw new IllegalStateException("singular system of " + d);
        }
        return x.getData();
    }
}
