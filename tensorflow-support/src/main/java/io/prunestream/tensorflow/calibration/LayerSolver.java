package io.prunestream.tensorflow.calibration;

import io.prunestream.pruning.reconstruction.ExactObs;
import io.prunestream.pruning.reconstruction.GreedyObs;
import io.prunestream.pruning.reconstruction.SparseGpt;
import io.prunestream.tensorflow.TensorFlowException;
import java.util.BitSet;

/**
 * One kernel's reconstruction from its products: the weights moved to the least-squares {@code H^-1 X^T D w} (the
 * dense layer's output on the dense inputs, from the inputs it now gets), then pruned by Optimal Brain Surgeon:
 * exactly per row ({@link ExactObs}; its mask at once, or by OBC's greedy removal, {@link GreedyObs}) where the layer
 * is small, with SparseGPT's sweep ({@link SparseGpt}) where not.
 */
final class LayerSolver {

    private LayerSolver() {
    }

    /**
     * {@code stored} (the dense kernel, of {@code shape}) pruned to {@code sparsity}, the positions of {@code forced}
     * (an earlier stage's mask, in the solver's row-major order) among the pruned, as {@code options} say.
     */
    static Reconstructed solve(ReconstructionPlan.Planned planned, float[] stored, double sparsity,
            double[][] products, BitSet forced, ReconstructionOptions options) throws TensorFlowException {
        WeightMatrix matrix = WeightMatrix.of(stored, planned.shape(), planned.op().transposedWeights());
        int rows = matrix.rows();
        int cols = matrix.cols();
        double[] h = products[0];
        HessianAlgebra.damp(h, cols, options.damping());
        double[] w = HessianAlgebra.leastSquares(h, products[1], matrix.values(), rows, cols);
        // Each row's error (w' - w)^T H (w' - w) times its channel's squared batch-norm scale is the error of the row
        // scaled by it: the masks and the solves below run on the scaled rows, unscaled after.
        double[] scale = planned.outputScale();
        scaleRows(w, scale, rows, cols, false);
        BitSet pruned;
        String solver;
        if ((long) rows * cols * cols <= options.exactLimit()) {
            pruned = options.greedy() ? GreedyObs.mask(w, rows, cols, HessianAlgebra.inverse(h, cols), sparsity, forced)
                    : ExactObs.mask(w, rows, cols, HessianAlgebra.inverseDiagonal(h, cols), sparsity, forced);
            double[] a = new double[rows * cols * cols];
            double[] b = new double[rows * cols];
            double[] system = new double[cols * cols];
            double[] right = new double[cols];
            for (int r = 0; r < rows; r++) {
                ExactObs.system(h, w, r, cols, pruned, system, right);
                System.arraycopy(system, 0, a, r * cols * cols, system.length);
                System.arraycopy(right, 0, b, r * cols, cols);
            }
            w = HessianAlgebra.solve(a, b, rows, cols);
            solver = "exact";
        } else {
            pruned = SparseGpt.prune(w, rows, cols, HessianAlgebra.upperFactorOfInverse(h, cols), sparsity,
                    SparseGpt.BLOCK, forced);
            solver = "sparsegpt";
        }
        scaleRows(w, scale, rows, cols, true);
        double threshold = 0;
        double[] original = matrix.values();
        for (int i = pruned.nextSetBit(0); i >= 0; i = pruned.nextSetBit(i + 1)) {
            w[i] = 0;
            threshold = Math.max(threshold, Math.abs(original[i]));
        }
        return new Reconstructed(matrix.stored(w), pruned.cardinality(), threshold, solver, pruned);
    }

    /** Row r times {@code scale[r]}, or divided by it (a row of scale 0, silent after its batch norm, to zero). */
    private static void scaleRows(double[] w, double[] scale, int rows, int cols, boolean undo) {
        if (scale == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            double s = scale[r];
            for (int c = r * cols; c < r * cols + cols; c++) {
                w[c] = !undo ? w[c] * s : s == 0 ? 0 : w[c] / s;
            }
        }
    }
}
