package io.prunestream.pruning.reconstruction;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Optimal Brain Surgeon, exactly, one row at a time (OBC's ExactOBS, NeurIPS 2022, for a fixed mask): the weights of
 * least saliency {@code w^2 / [H^-1]_jj} over the whole layer are removed, and each row's kept weights become the
 * least-squares optimum, the {@code w'} with {@code w'_P = 0} that minimises {@code (w' - w)^T H (w' - w)}, the
 * change of the layer's output on the calibration inputs. That optimum solves {@code A u = b} with
 * {@code A = D H D + (I - D)} and {@code b = D H w}, {@code D} the diagonal of kept positions: one system per row,
 * all of one size, which the caller solves (batched) with whatever linear algebra it has.
 */
public final class ExactObs {

    private ExactObs() {
    }

    /**
     * The round(sparsity x rows x cols) positions of least saliency (ties by position), as indices into the row-major
     * weights.
     *
     * @param inverseDiagonal the diagonal of the damped inverse Hessian, one value per column
     */
    public static BitSet mask(double[] w, int rows, int cols, double[] inverseDiagonal, double sparsity) {
        return mask(w, rows, cols, inverseDiagonal, sparsity, new BitSet());
    }

    /**
     * As {@link #mask(double[], int, int, double[], double)}, with the positions of {@code forced} (an earlier
     * stage's) pruned first, whatever their saliency: the mask only grows from stage to stage.
     */
    public static BitSet mask(double[] w, int rows, int cols, double[] inverseDiagonal, double sparsity,
            BitSet forced) {
        int n = rows * cols;
        double[] saliency = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            saliency[i] = forced.get(i) ? Double.NEGATIVE_INFINITY : w[i] * w[i] / inverseDiagonal[i % cols];
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> saliency[a] != saliency[b] ? Double.compare(saliency[a], saliency[b])
                : Integer.compare(a, b));
        BitSet pruned = new BitSet(n);
        int count = Math.max((int) Math.round(sparsity * n), forced.cardinality());
        for (int i = 0; i < count; i++) {
            pruned.set(order[i]);
        }
        return pruned;
    }

    /**
     * Row {@code row}'s system: fills {@code a} (cols x cols, row-major) and {@code b} (cols) so that the solution of
     * {@code a u = b} is the row's optimal weights, zero where pruned.
     *
     * @param h the damped Hessian (cols x cols, row-major)
     */
    public static void system(double[] h, double[] w, int row, int cols, BitSet pruned, double[] a, double[] b) {
        int at = row * cols;
        for (int i = 0; i < cols; i++) {
            boolean keptI = !pruned.get(at + i);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                boolean keptJ = !pruned.get(at + j);
                a[i * cols + j] = keptI && keptJ ? h[i * cols + j] : (i == j ? 1 : 0);
                if (keptI) {
                    sum += h[i * cols + j] * w[at + j];
                }
            }
            b[i] = keptI ? sum : 0;
        }
    }
}
