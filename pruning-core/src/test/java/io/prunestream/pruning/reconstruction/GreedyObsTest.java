package io.prunestream.pruning.reconstruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * OBC's greedy path against a constrained least squares solved here for each prefix of it (the least
 * {@code (w' - w)^T H (w' - w)} with the removed weights at zero), and its mask's rules.
 */
class GreedyObsTest {

    private static final int COLS = 7;
    private static final int SAMPLES = 30;

    @Test
    void eachRiseIsTheExactGrowthOfTheLeastErrorAndTheFirstRemovalIsTheBestSingleOne() {
        Random random = new Random(21);
        double[] h = hessian(random);
        double[] w = new double[COLS];
        for (int j = 0; j < COLS; j++) {
            w[j] = random.nextGaussian();
        }

        GreedyObs.Path path = GreedyObs.path(w, 0, COLS, inverse(h), 5, new BitSet());

        BitSet removed = new BitSet();
        double total = 0;
        for (int s = 0; s < 5; s++) {
            removed.set(path.order()[s]);
            total += path.rise()[s];
            assertThat(total).as("after %d removals", s + 1).isCloseTo(leastError(h, w, removed),
                    within(1e-9 * Math.max(1, total)));
        }
        double bestSingle = Double.POSITIVE_INFINITY;
        int best = -1;
        for (int q = 0; q < COLS; q++) {
            BitSet one = new BitSet();
            one.set(q);
            double error = leastError(h, w, one);
            if (error < bestSingle) {
                bestSingle = error;
                best = q;
            }
        }
        assertThat(path.order()[0]).isEqualTo(best);
    }

    @Test
    void theMaskTakesPrefixesOfThePathsTheForcedFirstAndTheCountAsked() {
        Random random = new Random(22);
        double[] h = hessian(random);
        int rows = 5;
        double[] w = new double[rows * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        BitSet forced = new BitSet();
        forced.set(3);
        forced.set(2 * COLS + 6);

        BitSet mask = GreedyObs.mask(w, rows, COLS, inverse(h), 0.6, forced);

        assertThat(mask.cardinality()).isEqualTo(Math.round(0.6 * rows * COLS));
        assertThat(mask.get(3)).isTrue();
        assertThat(mask.get(2 * COLS + 6)).isTrue();
        for (int r = 0; r < rows; r++) {
            GreedyObs.Path path = GreedyObs.path(w, r, COLS, inverse(h), COLS, forced);
            int taken = mask.get(r * COLS, r * COLS + COLS).cardinality();
            for (int s = 0; s < COLS; s++) {
                assertThat(mask.get(r * COLS + path.order()[s])).as("row %d, step %d", r, s).isEqualTo(s < taken);
            }
        }
    }

    /** The least {@code (u - w)^T H (u - w)} over u with u = 0 on {@code removed}: a reduced system, solved by EJML. */
    private static double leastError(double[] h, double[] w, BitSet removed) {
        int[] kept = java.util.stream.IntStream.range(0, COLS).filter(j -> !removed.get(j)).toArray();
        DMatrixRMaj hkk = new DMatrixRMaj(kept.length, kept.length);
        DMatrixRMaj right = new DMatrixRMaj(kept.length, 1);
        for (int a = 0; a < kept.length; a++) {
            for (int b = 0; b < kept.length; b++) {
                hkk.set(a, b, h[kept[a] * COLS + kept[b]]);
            }
            double sum = 0;
            for (int j = 0; j < COLS; j++) {
                sum += h[kept[a] * COLS + j] * w[j];
            }
            right.set(a, 0, sum);
        }
        DMatrixRMaj u = new DMatrixRMaj(kept.length, 1);
        CommonOps_DDRM.solve(hkk, right, u);
        double[] delta = w.clone();
        for (int j = 0; j < COLS; j++) {
            delta[j] = -w[j];
        }
        for (int a = 0; a < kept.length; a++) {
            delta[kept[a]] += u.get(a, 0);
        }
        double error = 0;
        for (int i = 0; i < COLS; i++) {
            for (int j = 0; j < COLS; j++) {
                error += delta[i] * h[i * COLS + j] * delta[j];
            }
        }
        return error;
    }

    private static double[] hessian(Random random) {
        DMatrixRMaj x = new DMatrixRMaj(SAMPLES, COLS);
        for (int n = 0; n < SAMPLES; n++) {
            double shared = random.nextGaussian();
            for (int j = 0; j < COLS; j++) {
                x.set(n, j, shared + 0.7 * random.nextGaussian());
            }
        }
        DMatrixRMaj h = new DMatrixRMaj(COLS, COLS);
        CommonOps_DDRM.multTransA(x, x, h);
        return h.getData();
    }

    private static double[] inverse(double[] h) {
        DMatrixRMaj inverse = new DMatrixRMaj(COLS, COLS);
        CommonOps_DDRM.invert(new DMatrixRMaj(COLS, COLS, true, h), inverse);
        return inverse.getData();
    }
}
