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

/**
 * The error curves against outputs computed here from the inputs themselves ({@code ||(W - W') X||^2 / ||W X||^2}),
 * and the staged masks: an earlier stage's pruned positions stay pruned.
 */
class ReconstructionErrorTest {

    private static final int ROWS = 6;
    private static final int COLS = 10;
    private static final int SAMPLES = 40;

    @Test
    void theRelativeErrorIsTheOutputsChangeOverTheOutput() {
        Random random = new Random(7);
        double[] x = correlatedInputs(random);
        double[] w = gaussian(random, ROWS * COLS);
        double[] pruned = w.clone();
        for (int i = 0; i < pruned.length; i += 3) {
            pruned[i] = 0;
        }

        double direct = squaredOutput(x, subtract(w, pruned)) / squaredOutput(x, w);

        assertThat(ReconstructionError.relative(hessian(x), w, pruned, ROWS, COLS)).isCloseTo(direct,
                within(1e-12));
    }

    @Test
    void theSparseGptCurveIsSparseGptsOwnOutputErrorAtEachSparsityAndRises() {
        Random random = new Random(8);
        double[] x = correlatedInputs(random);
        double[] h = hessian(x);
        double[] w = gaussian(random, ROWS * COLS);
        double[] upper = upperFactorOfInverse(h);
        double[] grid = {0, 0.3, 0.6, 0.9};

        ErrorCurve curve = ReconstructionError.sparseGpt("l", w, ROWS, COLS, h, upper, grid);

        assertThat(curve.errors()[0]).isZero();
        for (int i = 1; i < grid.length; i++) {
            double[] p = w.clone();
            SparseGpt.prune(p, ROWS, COLS, upper, grid[i], SparseGpt.BLOCK);
            double direct = squaredOutput(x, subtract(w, p)) / squaredOutput(x, w);
            assertThat(curve.errors()[i]).isCloseTo(direct, within(1e-9));
            assertThat(curve.errors()[i]).isGreaterThan(curve.errors()[i - 1]);
        }
        assertThat(curve.parameters()).isEqualTo(ROWS * COLS);
    }

    @Test
    void theMagnitudeCurveIsTheShareOfSquaresRemoved() {
        ErrorCurve curve = ReconstructionError.magnitude("l", new float[] {3, -1, 2, 0}, new double[] {0, 0.5, 0.75});

        // squares 9, 1, 4, 0 (total 14): half removes 0 and 1, three quarters 0, 1 and 4.
        assertThat(curve.errors()).containsExactly(new double[] {0, 1.0 / 14, 5.0 / 14}, within(1e-15));
    }

    @Test
    void anEarlierStagesMaskStaysPrunedInBothSolvers() {
        Random random = new Random(9);
        double[] h = hessian(correlatedInputs(random));
        double[] w = gaussian(random, ROWS * COLS);
        BitSet forced = new BitSet();
        // The largest weights: no saliency ranking would pick them.
        for (int i = 0; i < w.length; i++) {
            if (Math.abs(w[i]) > 1.2) {
                forced.set(i);
            }
        }
        assertThat(forced.cardinality()).isBetween(5, 20);

        BitSet exact = ExactObs.mask(w, ROWS, COLS, inverseDiagonal(h), 0.5, forced);
        BitSet sweep = SparseGpt.prune(w.clone(), ROWS, COLS, upperFactorOfInverse(h), 0.5, SparseGpt.BLOCK, forced);

        for (BitSet mask : new BitSet[] {exact, sweep}) {
            BitSet kept = (BitSet) forced.clone();
            kept.andNot(mask);
            assertThat(kept.isEmpty()).isTrue();
            assertThat(mask.cardinality()).isEqualTo(ROWS * COLS / 2);
        }
        assertThat(ExactObs.mask(w, ROWS, COLS, inverseDiagonal(h), 0.5, new BitSet()))
                .isEqualTo(ExactObs.mask(w, ROWS, COLS, inverseDiagonal(h), 0.5));
    }

    private static double[] correlatedInputs(Random random) {
        double[] x = new double[SAMPLES * COLS];
        for (int n = 0; n < SAMPLES; n++) {
            double shared = random.nextGaussian();
            for (int j = 0; j < COLS; j++) {
                x[n * COLS + j] = shared + 0.5 * random.nextGaussian();
            }
        }
        return x;
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double[] subtract(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** {@code sum over samples and rows of (w_r . x_n)^2}. */
    private static double squaredOutput(double[] x, double[] w) {
        double sum = 0;
        for (int n = 0; n < SAMPLES; n++) {
            for (int r = 0; r < ROWS; r++) {
                double out = 0;
                for (int j = 0; j < COLS; j++) {
                    out += w[r * COLS + j] * x[n * COLS + j];
                }
                sum += out * out;
            }
        }
        return sum;
    }

    private static double[] hessian(double[] x) {
        DMatrixRMaj m = new DMatrixRMaj(SAMPLES, COLS, true, x);
        DMatrixRMaj h = new DMatrixRMaj(COLS, COLS);
        CommonOps_DDRM.multTransA(m, m, h);
        return h.getData();
    }

    private static double[] inverse(double[] h) {
        DMatrixRMaj inverse = new DMatrixRMaj(COLS, COLS);
        CommonOps_DDRM.invert(new DMatrixRMaj(COLS, COLS, true, h), inverse);
        return inverse.getData();
    }

    private static double[] inverseDiagonal(double[] h) {
        double[] inverse = inverse(h);
        double[] d = new double[COLS];
        for (int i = 0; i < COLS; i++) {
            d[i] = inverse[i * COLS + i];
        }
        return d;
    }

    /** The upper factor U of h^-1 = U^T U. */
    private static double[] upperFactorOfInverse(double[] h) {
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(COLS, false);
        DMatrixRMaj inverse = new DMatrixRMaj(COLS, COLS, true, inverse(h));
        chol.decompose(inverse);
        return chol.getT(null).getData();
    }
}
