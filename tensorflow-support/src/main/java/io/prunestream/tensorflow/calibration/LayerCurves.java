package io.prunestream.tensorflow.calibration;

import io.prunestream.pruning.reconstruction.ErrorCurve;
import io.prunestream.pruning.reconstruction.ReconstructionError;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Each kernel's error curve ({@link ReconstructionError}) on the dense network's inputs, for the allocation of a
 * global budget ({@link io.prunestream.pruning.reconstruction.SparsityAllocation}): one pass over the calibration
 * images, the dense Hessian of every kernel that can be reconstructed, SparseGPT's relative output error at each
 * sparsity of a grid; a kernel that cannot, its magnitude curve.
 */
public final class LayerCurves {

    /** The sparsities each curve is measured at: fine where high sparsities are told apart. */
    private static final double[] GRID = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.88,
        0.9, 0.92, 0.94, 0.96, 0.98};

    private LayerCurves() {
    }

    /** The sparsities each curve is measured at. */
    public static double[] grid() {
        return GRID.clone();
    }

    /** The curves of the kernels {@code keys}, in topological order; one wider than {@code maxInputs}: by magnitude. */
    public static List<ErrorCurve> measure(Path model, List<String> keys, CalibrationData data, int maxInputs)
            throws TensorFlowException {
        ModelWeights weights = SavedModelReader.read(SavedModelInspector.inspect(model));
        Map<String, Double> all = new HashMap<>();
        keys.forEach(key -> all.put(key, 0.0));
        try (InlinedModel running = InlinedModel.open(model, data.signatureKey(), UnaryOperator.identity())) {
            List<ReconstructionPlan.Planned> plan = ReconstructionPlan.of(running, weights, all, maxInputs, false);
            List<ErrorCurve> curves = new ArrayList<>();
            try (ProductPass pass = ProductPass.open(running, data, plan)) {
                for (ReconstructionPlan.Planned planned : plan) {
                    float[] stored = planned.layout().toOperand(weights.get(planned.key()).values());
                    if (planned.products() == null) {
                        curves.add(ReconstructionError.magnitude(planned.key(), stored, GRID));
                        continue;
                    }
                    WeightMatrix matrix = WeightMatrix.of(stored, planned.shape(), planned.op().transposedWeights());
                    double[] h = pass.sums(planned, Map.of())[0];
                    HessianAlgebra.damp(h, matrix.cols());
                    curves.add(ReconstructionError.sparseGpt(planned.key(), matrix.values(), matrix.rows(),
                            matrix.cols(), h, HessianAlgebra.upperFactorOfInverse(h, matrix.cols()), GRID));
                }
            }
            return curves;
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot measure the layers' error curves of " + model + ": "
                    + e.getMessage(), e);
        }
    }
}
