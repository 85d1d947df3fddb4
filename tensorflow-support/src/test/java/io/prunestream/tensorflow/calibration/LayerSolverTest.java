package io.prunestream.tensorflow.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.tensorflow.KernelView;
import io.prunestream.tensorflow.OperandLayout;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.graph.KernelInputs;
import java.util.BitSet;
import java.util.Random;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.NodeDef;

/**
 * A kernel's channels weighed by the batch norm after it: a channel that batch norm amplifies a thousandfold keeps
 * every weight while the others give up the layer's budget, scales of one change nothing, and whatever the scales,
 * each row's kept weights are the least-squares optimum of its mask, solved here with EJML.
 */
class LayerSolverTest {

    private static final int ROWS = 4;
    private static final int COLS = 6;
    private static final int SAMPLES = 200;

    private static final double[] X = new double[SAMPLES * COLS];
    private static final float[] STORED = new float[COLS * ROWS];

    @BeforeAll
    static void data() throws Exception {
        TensorFlowRuntime.start();
        Random random = new Random(5);
        for (int n = 0; n < SAMPLES; n++) {
            double shared = random.nextGaussian();
            for (int p = 0; p < COLS; p++) {
                // Correlated inputs, so that moving the kept weights matters.
                X[n * COLS + p] = shared + 0.5 * random.nextGaussian();
            }
        }
        for (int i = 0; i < STORED.length; i++) {
            STORED[i] = (float) random.nextGaussian();
        }
    }

    @Test
    void anAmplifiedChannelKeepsItsWeightsAndEachRowIsItsMasksLeastSquares() throws Exception {
        Reconstructed plain = solve(null);
        Reconstructed ones = solve(new double[] {1, 1, 1, 1});
        Reconstructed loud = solve(new double[] {1000, 1, 1, 1});
        Reconstructed negative = solve(new double[] {-1000, 1, 1, 1});

        assertThat(ones.mask()).isEqualTo(plain.mask());
        assertThat(ones.values()).containsExactly(plain.values());
        assertThat(plain.mask().get(0, COLS).cardinality()).as("row 0 unweighted").isPositive();
        for (Reconstructed result : new Reconstructed[] {loud, negative}) {
            assertThat(result.pruned()).isEqualTo(ROWS * COLS / 2);
            assertThat(result.mask().get(0, COLS).cardinality()).as("row 0 amplified").isZero();
        }
        for (Reconstructed result : new Reconstructed[] {plain, loud}) {
            assertLeastSquares(result);
        }
    }

    /** Half the kernel ([in, out], output last) pruned, channel scales {@code scale}, exactly and greedily. */
    private static Reconstructed solve(double[] scale) throws Exception {
        double[] h = hessian();
        long[] shape = {COLS, ROWS};
        ReconstructionPlan.Planned planned = new ReconstructionPlan.Planned(null, 0.5, new KernelInputs.KernelOp(
                NodeDef.newBuilder().setName("matmul").setOp("MatMul").build(), "x", "kernel", false), null, null,
                OperandLayout.of(KernelView.lastAxis(), shape).orElseThrow(), scale);
        // The kernel's inputs are the dense network's: the cross product is the Hessian itself.
        return LayerSolver.solve(planned, STORED, 0.5, new double[][] {h, h.clone()}, new BitSet(),
                ReconstructionOptions.defaults());
    }

    /** {@code X^T X}, summed here. */
    private static double[] hessian() {
        double[] h = new double[COLS * COLS];
        for (int n = 0; n < SAMPLES; n++) {
            for (int i = 0; i < COLS; i++) {
                for (int j = 0; j < COLS; j++) {
                    h[i * COLS + j] += X[n * COLS + i] * X[n * COLS + j];
                }
            }
        }
        return h;
    }

    /** Per row, the kept weights solve {@code H_KK u = (H w)_K}, H damped as the solver damps it on the left. */
    private static void assertLeastSquares(Reconstructed result) {
        double[] h = hessian();
        double[] damped = h.clone();
        HessianAlgebra.damp(damped, COLS);
        for (int o = 0; o < ROWS; o++) {
            int row = o;
            int[] kept = IntStream.range(0, COLS).filter(p -> !result.mask().get(row * COLS + p)).toArray();
            DMatrixRMaj a = new DMatrixRMaj(kept.length, kept.length);
            DMatrixRMaj b = new DMatrixRMaj(kept.length, 1);
            for (int i = 0; i < kept.length; i++) {
                for (int j = 0; j < kept.length; j++) {
                    a.set(i, j, damped[kept[i] * COLS + kept[j]]);
                }
                double sum = 0;
                for (int p = 0; p < COLS; p++) {
                    sum += h[kept[i] * COLS + p] * STORED[p * ROWS + o];
                }
                b.set(i, 0, sum);
            }
            DMatrixRMaj u = new DMatrixRMaj(kept.length, 1);
            assertThat(CommonOps_DDRM.solve(a, b, u)).isTrue();
            for (int i = 0; i < kept.length; i++) {
                assertThat((double) result.values()[kept[i] * ROWS + o]).as("row %d, input %d", o, kept[i])
                        .isCloseTo(u.get(i, 0), within(1e-4 * Math.max(1, Math.abs(u.get(i, 0)))));
            }
        }
    }
}
