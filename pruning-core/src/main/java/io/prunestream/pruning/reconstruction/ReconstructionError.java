package io.prunestream.pruning.reconstruction;

import java.util.Arrays;

/**
 * The error curves the allocation reads ({@link SparsityAllocation}): a layer's output error once pruned, relative to
 * its output, {@code sum_r (w_r - w'_r)^T H (w_r - w'_r) / sum_r w_r^T H w_r} over its rows, at each sparsity of a
 * grid; for a layer with a Hessian, as SparseGPT leaves it ({@link SparseGpt}); for one without, as magnitude pruning
 * does with inputs taken as white ({@code H = I}).
 */
public final class ReconstructionError {

    private ReconstructionError() {
    }

    /**
     * SparseGPT's relative error on the dense weights {@code w} (rows x cols, row-major; not changed) at each
     * sparsity of {@code grid}.
     *
     * @param h the damped Hessian, cols x cols, row-major
     * @param upper the upper Cholesky factor of its inverse
     */
    public static ErrorCurve sparseGpt(String name, double[] w, int rows, int cols, double[] h, double[] upper,
            double[] grid) {
        double[] errors = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            if (grid[i] == 0) {
                continue;
            }
            double[] pruned = w.clone();
            SparseGpt.prune(pruned, rows, cols, upper, grid[i], SparseGpt.BLOCK);
            errors[i] = relative(h, w, pruned, rows, cols);
        }
        return new ErrorCurve(name, (long) rows * cols, grid, errors);
    }

    /** Magnitude pruning's relative error, the smallest |w| removed, at each sparsity of {@code grid}. */
    public static ErrorCurve magnitude(String name, float[] values, double[] grid) {
        double[] squares = new double[values.length];
        double total = 0;
        for (int i = 0; i < values.length; i++) {
            squares[i] = (double) values[i] * values[i];
            total += squares[i];
        }
        Arrays.sort(squares);
        double[] errors = new double[grid.length];
        double removed = 0;
        int at = 0;
        for (int i = 0; i < grid.length; i++) {
            long count = Math.round(grid[i] * values.length);
            for (; at < count; at++) {
                removed += squares[at];
            }
            errors[i] = total == 0 ? 0 : removed / total;
        }
        return new ErrorCurve(name, values.length, grid, errors);
    }

    /** {@code sum_r (w_r - p_r)^T H (w_r - p_r) / sum_r w_r^T H w_r}; 0 for a layer whose output is 0. */
    public static double relative(double[] h, double[] w, double[] pruned, int rows, int cols) {
        double change = 0;
        double output = 0;
        double[] delta = new double[cols];
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                row[j] = w[r * cols + j];
                delta[j] = row[j] - pruned[r * cols + j];
            }
            change += quadratic(h, delta, cols);
            output += quadratic(h, row, cols);
        }
        return output == 0 ? 0 : change / output;
    }

    private static double quadratic(double[] h, double[] x, int cols) {
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            if (x[i] == 0) {
                continue;
            }
            double inner = 0;
            for (int j = 0; j < cols; j++) {
                inner += h[i * cols + j] * x[j];
            }
            sum += x[i] * inner;
        }
        return sum;
    }
}
