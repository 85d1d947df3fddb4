package io.prunestream.pruning.reconstruction;

import java.util.Arrays;
import java.util.BitSet;

/**
 * SparseGPT's one pass over a layer's columns (Frantar and Alistarh, "SparseGPT", ICML 2023): columns are taken in
 * blocks; in each block the weights of least saliency {@code w^2 / u_jj^2} are chosen (the same share of every
 * block), and column by column each pruned or kept weight's error is spread over the columns not yet processed,
 * through the upper Cholesky factor {@code U} of the inverse Hessian ({@code H^-1 = U^T U}). Its cost is
 * rows x columns^2, and unlike per-row OBS one factorisation serves every row; the price is that a kept weight, once
 * its column is passed, is not moved again, so the result is close to, not exactly, the least-squares optimum of the
 * chosen mask ({@link ExactObs} is that optimum).
 */
public final class SparseGpt {

    /** The block width of the paper's implementation. */
    public static final int BLOCK = 128;

    private SparseGpt() {
    }

    /**
     * Prunes {@code w} (rows x cols, row-major, changed in place) to {@code sparsity}: in each block of
     * {@code block} columns the round(sparsity x rows x width) weights of least saliency (ties by position).
     *
     * @param upper the upper Cholesky factor of the damped inverse Hessian (cols x cols, row-major)
     * @return the pruned positions, as indices into {@code w}
     */
    public static BitSet prune(double[] w, int rows, int cols, double[] upper, double sparsity, int block) {
        return prune(w, rows, cols, upper, sparsity, block, new BitSet());
    }

    /**
     * As {@link #prune(double[], int, int, double[], double, int)}, with the positions of {@code forced} (an earlier
     * stage's) pruned first in their blocks, whatever their saliency: the mask only grows from stage to stage.
     */
    public static BitSet prune(double[] w, int rows, int cols, double[] upper, double sparsity, int block,
            BitSet forced) {
        if (w.length != (long) rows * cols || upper.length != (long) cols * cols) {
            throw new IllegalArgumentException(rows + " x " + cols + " weights and a " + cols + " x " + cols
                    + " factor do not fit arrays of " + w.length + " and " + upper.length);
        }
        if (!(sparsity >= 0 && sparsity < 1) || block < 1) {
            throw new IllegalArgumentException("sparsity " + sparsity + " outside [0, 1) or block " + block);
        }
        BitSet pruned = new BitSet(w.length);
        double[] error = new double[rows * block];
        for (int from = 0; from < cols; from += block) {
            int to = Math.min(from + block, cols);
            int width = to - from;
            BitSet mask = blockMask(w, rows, cols, upper, from, to, sparsity, forced);
            for (int j = from; j < to; j++) {
                double d = upper[j * cols + j];
                for (int r = 0; r < rows; r++) {
                    double value = w[r * cols + j];
                    boolean prune = mask.get(r * width + (j - from));
                    double err = prune ? value / d : 0;
                    error[r * block + (j - from)] = err;
                    if (prune) {
                        w[r * cols + j] = 0;
                        pruned.set(r * cols + j);
                    }
                    // Within the block: the columns after j absorb this column's error now.
                    for (int k = j + 1; k < to; k++) {
                        w[r * cols + k] -= err * upper[j * cols + k];
                    }
                }
            }
            // After the block: every later column absorbs the block's errors at once.
            for (int r = 0; r < rows; r++) {
                for (int j = from; j < to; j++) {
                    double err = error[r * block + (j - from)];
                    if (err == 0) {
                        continue;
                    }
                    int row = j * cols;
                    int at = r * cols;
                    for (int k = to; k < cols; k++) {
                        w[at + k] -= err * upper[row + k];
                    }
                }
            }
            Arrays.fill(error, 0);
        }
        return pruned;
    }

    /** The block's pruned positions (row-major within the block): its least salient share, ties by position. */
    private static BitSet blockMask(double[] w, int rows, int cols, double[] upper, int from, int to,
            double sparsity, BitSet forced) {
        int width = to - from;
        int count = (int) Math.round(sparsity * rows * width);
        int inBlock = 0;
        double[] saliency = new double[rows * width];
        Integer[] order = new Integer[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int j = from; j < to; j++) {
                double d = upper[j * cols + j];
                double value = w[r * cols + j];
                int at = r * width + (j - from);
                boolean earlier = forced.get(r * cols + j);
                inBlock += earlier ? 1 : 0;
                saliency[at] = earlier ? Double.NEGATIVE_INFINITY : value * value / (d * d);
                order[at] = at;
            }
        }
        count = Math.max(count, inBlock);
        Arrays.sort(order, (a, b) -> saliency[a] != saliency[b] ? Double.compare(saliency[a], saliency[b])
                : Integer.compare(a, b));
        BitSet mask = new BitSet(rows * width);
        for (int i = 0; i < count; i++) {
            mask.set(order[i]);
        }
        return mask;
    }
}
