package io.prunestream.pruning.reconstruction;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * OBC's greedy mask (Frantar and Alistarh, "Optimal Brain Compression", NeurIPS 2022): each row's weights are removed
 * one at a time, each time the one whose removal, with the row's other weights moved to make up for it, raises the
 * row's output error {@code (w' - w)^T H (w' - w)} the least ({@code w_q^2 / [H^-1]_qq} on the current inverse), after
 * which the weights and the inverse Hessian of the weights left are updated (OBS's rank-one step). The layer's mask
 * then takes from each row a prefix of its removal order, the prefixes chosen so that the smallest increases of error
 * over the whole layer go (the increases made non-decreasing along each row, so that a threshold picks prefixes).
 * Unlike a one-shot ranking by the dense inverse's diagonal, each choice sees the removals before it.
 */
public final class GreedyObs {

    /** One row's removal order and the rise of its error at each removal. */
    public record Path(int[] order, double[] rise) {
    }

    private GreedyObs() {
    }

    /**
     * Row {@code row} of {@code w} (rows x cols, row-major; not changed) with {@code forced} positions (in the layer's
     * row-major indices) removed first, then {@code steps} in all.
     *
     * @param inverse the damped Hessian's inverse (cols x cols, row-major; not changed)
     */
    public static Path path(double[] w, int row, int cols, double[] inverse, int steps, BitSet forced) {
        double[] x = Arrays.copyOfRange(w, row * cols, row * cols + cols);
        double[] hinv = inverse.clone();
        boolean[] gone = new boolean[cols];
        int[] order = new int[steps];
        double[] rise = new double[steps];
        for (int s = 0; s < steps; s++) {
            int q = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                if (!gone[j] && forced.get(row * cols + j)) {
                    q = j;
                    best = x[j] * x[j] / hinv[j * cols + j];
                    break;
                }
            }
            if (q < 0) {
                for (int j = 0; j < cols; j++) {
                    double score = x[j] * x[j] / hinv[j * cols + j];
                    if (!gone[j] && score < best) {
                        best = score;
                        q = j;
                    }
                }
            }
            order[s] = q;
            rise[s] = best;
            remove(x, hinv, gone, q, cols);
        }
        return new Path(order, rise);
    }

    /** Removes {@code q}: the kept weights moved by OBS, then {@code q} taken out of the inverse (row and column). */
    private static void remove(double[] x, double[] hinv, boolean[] gone, int q, int cols) {
        double d = hinv[q * cols + q];
        double scale = x[q] / d;
        for (int j = 0; j < cols; j++) {
            x[j] -= scale * hinv[j * cols + q];
        }
        x[q] = 0;
        double[] column = new double[cols];
        for (int i = 0; i < cols; i++) {
            column[i] = hinv[i * cols + q];
        }
        for (int i = 0; i < cols; i++) {
            if (column[i] == 0) {
                continue;
            }
            double f = column[i] / d;
            for (int j = 0; j < cols; j++) {
                hinv[i * cols + j] -= f * column[j];
            }
        }
        gone[q] = true;
        // What is left of q's row and column is zero up to rounding; keep its diagonal positive for the checks above.
        hinv[q * cols + q] = 1;
    }

    /**
     * The layer's mask at {@code sparsity}: round(sparsity x rows x cols) positions, {@code forced} among them, each
     * row a prefix of its greedy path.
     */
    public static BitSet mask(double[] w, int rows, int cols, double[] inverse, double sparsity, BitSet forced) {
        int count = Math.max((int) Math.round(sparsity * rows * cols), forced.cardinality());
        // Far enough along every row that the layer's cheapest removals are among the paths, at most the whole row.
        int steps = Math.min(cols, (int) Math.ceil(Math.min(1, 2 * sparsity + 0.05) * cols));
        int[] forcedInRow = new int[rows];
        for (int r = 0; r < rows; r++) {
            forcedInRow[r] = forced.get(r * cols, r * cols + cols).cardinality();
            steps = Math.max(steps, forcedInRow[r]);
        }
        int length = steps;
        // Rows are independent, and each costs steps x cols^2: one per core.
        Path[] paths = IntStream.range(0, rows).parallel().mapToObj(r -> path(w, r, cols, inverse, length, forced))
                .toArray(Path[]::new);
        double[] rises = new double[rows * steps];
        Integer[] at = new Integer[rows * steps];
        for (int r = 0; r < rows; r++) {
            double floor = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < steps; s++) {
                floor = s < forcedInRow[r] ? Double.NEGATIVE_INFINITY : Math.max(floor, paths[r].rise()[s]);
                rises[r * steps + s] = floor;
                at[r * steps + s] = r * steps + s;
            }
        }
        Arrays.sort(at, (a, b) -> rises[a] != rises[b] ? Double.compare(rises[a], rises[b]) : Integer.compare(a, b));
        BitSet pruned = new BitSet(rows * cols);
        for (int i = 0; i < Math.min(count, at.length); i++) {
            int r = at[i] / steps;
            pruned.set(r * cols + paths[r].order()[at[i] % steps]);
        }
        return pruned;
    }
}
