package io.prunestream.pruning.reconstruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;

/** SparseGPT's sweep and exact OBS against what they must reduce to, and against plain zeroing. */
class ReconstructionMathsTest {

    @Test
    void withUncorrelatedInputsSparseGptIsMagnitudePruningPerBlock() {
        double[] w = {0.5, -0.1, 0.3, 0.05, -0.9, 0.2, 0.01, 0.7};
        double[] upper = identity(4);
        BitSet pruned = SparseGpt.prune(w, 2, 4, upper, 0.5, 2);
        // Blocks of two columns, rows 2: each block prunes 2 of its 4 weights, the smallest.
        assertThat(pruned.stream().toArray()).containsExactly(1, 3, 5, 6);
        assertThat(w).containsExactly(0.5, 0, 0.3, 0, -0.9, 0, 0, 0.7);
    }

    @Test
    void exactObsOfUncorrelatedInputsZeroesAndKeepsTheRest() {
        double[] w = {0.5, -0.1, 0.3, 0.05};
        BitSet pruned = ExactObs.mask(w, 1, 4, new double[] {1, 1, 1, 1}, 0.5);
        assertThat(pruned.stream().toArray()).containsExactly(1, 3);
        double[] a = new double[16];
        double[] b = new double[4];
        ExactObs.system(identity(4), w, 0, 4, pruned, a, b);
        assertThat(solve(a, b, 4)).containsExactly(new double[] {0.5, 0, 0.3, 0}, within(1e-12));
    }

    @Test
    void onCorrelatedInputsBothChangeTheOutputLessThanZeroingTheSameWeights() {
        Random random = new Random(3);
        int rows = 6;
        int cols = 10;
        int samples = 200;
        double[] x = new double[samples * cols];
        for (int n = 0; n < samples; n++) {
            double shared = random.nextGaussian();
            for (int c = 0; c < cols; c++) {
                x[n * cols + c] = shared + 0.3 * random.nextGaussian();
            }
        }
        double[] h = new double[cols * cols];
        for (int n = 0; n < samples; n++) {
            for (int i = 0; i < cols; i++) {
                for (int j = 0; j < cols; j++) {
                    h[i * cols + j] += x[n * cols + i] * x[n * cols + j];
                }
            }
        }
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        // Exact OBS: the optimum of the chosen mask, so no zeroing of it does better.
        BitSet mask = ExactObs.mask(w, rows, cols, diagonalOfInverse(h, cols), 0.5);
        double[] exact = new double[w.length];
        double[] a = new double[cols * cols];
        double[] b = new double[cols];
        for (int r = 0; r < rows; r++) {
            ExactObs.system(h, w, r, cols, mask, a, b);
            System.arraycopy(solve(a, b, cols), 0, exact, r * cols, cols);
        }
        assertThat(outputError(x, w, exact, rows, cols, samples))
                .isLessThan(outputError(x, w, zeroed(w, mask), rows, cols, samples));
        // SparseGPT with the same inputs.
        double[] sweep = w.clone();
        BitSet chosen = SparseGpt.prune(sweep, rows, cols, upperFactorOfInverse(h, cols), 0.5, 4);
        assertThat(chosen.cardinality()).isEqualTo(30);
        assertThat(outputError(x, w, sweep, rows, cols, samples))
                .isLessThan(outputError(x, w, zeroed(w, chosen), rows, cols, samples));
    }

    private static double[] zeroed(double[] w, BitSet mask) {
        double[] z = w.clone();
        mask.stream().forEach(i -> z[i] = 0);
        return z;
    }

    private static double outputError(double[] x, double[] w, double[] pruned, int rows, int cols, int samples) {
        double error = 0;
        for (int n = 0; n < samples; n++) {
            for (int r = 0; r < rows; r++) {
                double diff = 0;
                for (int c = 0; c < cols; c++) {
                    diff += x[n * cols + c] * (pruned[r * cols + c] - w[r * cols + c]);
                }
                error += diff * diff;
            }
        }
        return error;
    }

    private static double[] identity(int d) {
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        return eye;
    }

    /** The test's own linear algebra, independent of the code under test: EJML. */
    private static double[] solve(double[] a, double[] b, int d) {
        DMatrixRMaj x = new DMatrixRMaj(d, 1);
        if (!CommonOps_DDRM.solve(new DMatrixRMaj(d, d, true, a), new DMatrixRMaj(d, 1, true, b), x)) {
            throw new IllegalStateException("singular system of " + d);
        }
        return x.getData();
    }

    private static DMatrixRMaj inverse(double[] h, int d) {
        DMatrixRMaj inverse = new DMatrixRMaj(d, d);
        if (!CommonOps_DDRM.invert(new DMatrixRMaj(d, d, true, h), inverse)) {
            throw new IllegalStateException("singular Hessian of " + d);
        }
        return inverse;
    }

    private static double[] diagonalOfInverse(double[] h, int d) {
        DMatrixRMaj inverse = inverse(h, d);
        double[] diag = new double[d];
        for (int i = 0; i < d; i++) {
            diag[i] = inverse.get(i, i);
        }
        return diag;
    }

    /** U with U^T U = H^-1: the upper Cholesky factor of the inverse. */
    private static double[] upperFactorOfInverse(double[] h, int d) {
        CholeskyDecomposition_F64<DMatrixRMaj> cholesky = DecompositionFactory_DDRM.chol(d, false);
        if (!cholesky.decompose(inverse(h, d))) {
            throw new IllegalStateException("the inverse Hessian is not positive definite");
        }
        return cholesky.getT(null).getData();
    }
}
