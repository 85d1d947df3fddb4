package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OBS on kernels read other than as a Conv2D or MatMul of their stored value: a conv kernel stored OIHW and read
 * through {@code Transpose(perm=[2, 3, 1, 0])} (another exporter's layout), solved as its Conv2D sees it and written
 * back as stored; the kernel of a Keras EinsumDense ({@code abc,cd->abd}), whose rows are every token; and the weight
 * of a {@code BatchMatMulV2} of rank-3 tokens, as ONNX converters write a token MLP. Each kernel's inputs are computed
 * here from the images (the OIHW conv and the token mixer see them; the einsum sees a depthwise conv, ReLU and max pool
 * of them, written out in the test), and the kept weights checked against the least squares solved from them; the
 * written model runs as the fixture's own forward pass says it should.
 */
class KernelReadsReconstructionTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(160, 28, 3);
    private static final int N = 64;
    private static final int FILTERS = 32;
    private static final int SIDE = 26;

    @TempDir
    Path temp;

    @Test
    void anOihwConvKernelIsTheLeastSquaresOptimumInItsOwnLayout() throws Exception {
        ForeignModel.Kind kind = ForeignModel.Kind.OIHW_EXPORT;
        ForeignModel model = ForeignModels.write(kind, temp.resolve("oihw"), TRAIN, 100, 5);
        String conv = model.weights().keySet().stream().filter(k -> k.contains("conv1") && k.contains("weight"))
                .findFirst().orElseThrow();

        LayerReconstruction.Result result = halved(model, conv, FILTERS * 9);

        float[] w = model.weights().get(conv);
        float[] r = result.kernels().get(conv);
        double[] h = new double[81];
        double[] patch = new double[9];
        for (int n = 0; n < N; n++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    for (int kh = 0; kh < 3; kh++) {
                        for (int kw = 0; kw < 3; kw++) {
                            patch[kh * 3 + kw] = (TRAIN.pixels()[n * 784 + (y + kh) * 28 + x + kw] & 0xFF) / 255.0;
                        }
                    }
                    for (int i = 0; i < 9; i++) {
                        for (int j = 0; j < 9; j++) {
                            h[i * 9 + j] += patch[i] * patch[j];
                        }
                    }
                }
            }
        }
        // OIHW with one input channel: filter o's weight at (kh, kw) is w[o * 9 + kh * 3 + kw].
        assertLeastSquares(h, w, r, 9, FILTERS, (o, p) -> o * 9 + p);

        assertRunsAsItsReference(model, conv, r);
    }

    @Test
    void anEinsumDenseKernelIsTheLeastSquaresOptimumOverEveryToken() throws Exception {
        ForeignModel.Kind kind = ForeignModel.Kind.OPS_ZOO;
        ForeignModel model = ForeignModels.write(kind, temp.resolve("zoo"), TRAIN, 100, 5);
        String einsum = model.weights().keySet().stream().filter(k -> k.contains("einsum_dense")
                && k.contains("kernel")).findFirst().orElseThrow();
        String depthwise = model.weights().keySet().stream().filter(k -> k.contains("depthwise_conv2d")
                && k.contains("kernel")).findFirst().orElseThrow();
        String depthwiseBias = depthwise.replace("kernel", "bias");

        LayerReconstruction.Result result = halved(model, einsum, 16 * 32);

        // The tokens: 3x3 depthwise conv (one input channel, 16 filters, HWIO [3, 3, 1, 16]), bias, ReLU, 2x2 pool.
        float[] dw = model.weights().get(depthwise);
        float[] dwBias = model.weights().get(depthwiseBias);
        double[] h = new double[16 * 16];
        double[] token = new double[16];
        for (int n = 0; n < N; n++) {
            for (int py = 0; py < 13; py++) {
                for (int px = 0; px < 13; px++) {
                    java.util.Arrays.fill(token, 0);
                    for (int m = 0; m < 16; m++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int y = 2 * py; y < 2 * py + 2; y++) {
                            for (int x = 2 * px; x < 2 * px + 2; x++) {
                                double s = dwBias[m];
                                for (int kh = 0; kh < 3; kh++) {
                                    for (int kw = 0; kw < 3; kw++) {
                                        s += (TRAIN.pixels()[n * 784 + (y + kh) * 28 + x + kw] & 0xFF) / 255.0
                                                * dw[(kh * 3 + kw) * 16 + m];
                                    }
                                }
                                best = Math.max(best, Math.max(0, s));
                            }
                        }
                        token[m] = best;
                    }
                    for (int i = 0; i < 16; i++) {
                        for (int j = 0; j < 16; j++) {
                            h[i * 16 + j] += token[i] * token[j];
                        }
                    }
                }
            }
        }
        float[] w = model.weights().get(einsum);
        float[] r = result.kernels().get(einsum);
        // [in, out]: output d's weight from input c is w[c * 32 + d].
        assertLeastSquares(h, w, r, 16, 32, (d, c) -> c * 32 + d);
        assertRunsAsItsReference(model, einsum, r);
    }

    @Test
    void aBatchMatMulWeightIsTheLeastSquaresOptimumOverEveryToken() throws Exception {
        ForeignModel model = ForeignModels.write(ForeignModel.Kind.TOKEN_MLP, temp.resolve("tokens"), TRAIN, 100, 5);
        String mixer = model.weights().keySet().stream().filter(k -> k.contains("token_mixer")
                && k.contains("kernel")).findFirst().orElseThrow();

        LayerReconstruction.Result result = halved(model, mixer, 28 * 24);

        // Each image row is a token of 28 pixels.
        double[] h = new double[28 * 28];
        for (int n = 0; n < N; n++) {
            for (int y = 0; y < 28; y++) {
                for (int i = 0; i < 28; i++) {
                    for (int j = 0; j < 28; j++) {
                        h[i * 28 + j] += (TRAIN.pixels()[n * 784 + y * 28 + i] & 0xFF) / 255.0
                                * ((TRAIN.pixels()[n * 784 + y * 28 + j] & 0xFF) / 255.0);
                    }
                }
            }
        }
        float[] r = result.kernels().get(mixer);
        // [in, out]: feature d's weight from pixel c is w[c * 24 + d].
        assertLeastSquares(h, model.weights().get(mixer), r, 28, 24, (d, c) -> c * 24 + d);
        assertRunsAsItsReference(model, mixer, r);
    }

    /** The model written with {@code key} replaced scores what the fixture's own forward pass of its weights does. */
    private void assertRunsAsItsReference(ForeignModel model, String key, float[] values) throws Exception {
        Map<String, float[]> reconstructed = new HashMap<>(model.weights());
        reconstructed.put(key, values);
        Path written = temp.resolve("written");
        SavedModelWriter.write(SavedModelReader.read(model.directory()), written, Map.of(key, values));
        assertThat(ForeignModels.savedModelTop1(model.kind(), written, TRAIN)).isEqualTo(ForeignModels.top1(
                ForeignModels.referenceLogits(model.kind(), reconstructed, TRAIN), TRAIN));
    }

    /** {@code key} of {@code model} reconstructed at 50% on the first N images: solved exactly, half removed. */
    private static LayerReconstruction.Result halved(ForeignModel model, String key, int weights) throws Exception {
        ForeignModel.Kind kind = model.kind();
        CalibrationData data = CalibrationData.of("serving_default", kind.inputName(), ModelInput.resolve(
                kind.inputShape(), TRAIN.shape(), kind.preprocessing()), TRAIN, N);
        LayerReconstruction.Result result = LayerReconstruction.reconstruct(model.directory(),
                List.of(new LayerReconstruction.Target(key, 0.5)), data);
        assertThat(result.layers()).singleElement().satisfies(layer -> {
            assertThat(layer.solver()).isEqualTo("exact");
            assertThat(layer.pruned()).isEqualTo(weights / 2);
        });
        return result;
    }

    /**
     * Per output, the kept weights of {@code r} solve {@code H_KK u = (H w)_K}, {@code H} ({@code inputs} square) damped
     * as the solver damps it on the left: the least squares of the dense output from the kept inputs, the inputs
     * being the dense network's. {@code index} gives a weight's place from (output, input).
     */
    private static void assertLeastSquares(double[] h, float[] w, float[] r, int inputs, int outputs,
            java.util.function.IntBinaryOperator index) {
        double[] damped = h.clone();
        HessianAlgebra.damp(damped, inputs);
        for (int o = 0; o < outputs; o++) {
            int output = o;
            int[] kept = java.util.stream.IntStream.range(0, inputs).filter(p -> r[index.applyAsInt(output, p)] != 0)
                    .toArray();
            double[] a = new double[kept.length * kept.length];
            double[] b = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                for (int j = 0; j < kept.length; j++) {
                    a[i * kept.length + j] = damped[kept[i] * inputs + kept[j]];
                }
                for (int p = 0; p < inputs; p++) {
                    b[i] += h[kept[i] * inputs + p] * w[index.applyAsInt(o, p)];
                }
            }
            double[] u = solve(a, b, kept.length);
            for (int i = 0; i < kept.length; i++) {
                assertThat((double) r[index.applyAsInt(o, kept[i])]).as("output %d, input %d", o, kept[i])
                        .isCloseTo(u[i], within(1e-3 * Math.max(1, Math.abs(u[i]))));
            }
        }
    }

    private static double[] solve(double[] a, double[] b, int d) {
        DMatrixRMaj x = new DMatrixRMaj(d, 1);
        if (!CommonOps_DDRM.solve(new DMatrixRMaj(d, d, true, a), new DMatrixRMaj(d, 1, true, b), x)) {
            throw new IllegalStateException("singular system of " + d);
        }
        return x.getData();
    }
}
