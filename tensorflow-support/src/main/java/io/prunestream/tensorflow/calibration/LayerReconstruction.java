package io.prunestream.tensorflow.calibration;

import io.prunestream.pruning.reconstruction.ExactObs;
import io.prunestream.pruning.reconstruction.SparseGpt;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.OperandLayout;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Layer-wise reconstruction (method {@code obs}): the kernels are pruned one at a time in a topological order of
 * the graph; each one's inputs on the calibration images are taken as the already-pruned earlier layers produce them
 * ({@code X}; or, {@link ReconstructionOptions#prunedInputs} off, as the dense network's), its Hessian
 * {@code H = X^T X} (plus damping) is formed in double precision, and the weights to remove are chosen and the kept
 * ones moved by Optimal Brain Surgeon ({@link LayerSolver}: exactly per row, {@link ExactObs}, where the layer is
 * small, with SparseGPT's sweep, {@link SparseGpt}, where it is not). The target is the dense layer's output on the
 * dense network's inputs {@code D}, not on {@code X}, so that each layer also makes up for the error the layers
 * before it left, instead of passing it on. With several {@link ReconstructionOptions#stages}, the whole pass runs
 * again at growing shares of the target, each stage's masks kept by the next. Conv2D (NHWC) and MatMul (the kernel as
 * second input, any {@code transpose_b}) are reconstructed, their kernels read as stored or through transposes and
 * reshapes (an exporter's OIHW conv kernels, transposed dense weights: solved as the op sees them, written back as
 * stored); any other kernel is pruned by magnitude, and says so.
 */
public final class LayerReconstruction {

    /** A kernel to prune, by checkpoint key, and to what share of its weights. */
    public record Target(String key, double sparsity) {
    }

    /**
     * What was done to one kernel: its weights, how many were removed, the largest magnitude removed, and
     * {@code solver}: {@code exact}, {@code sparsegpt}, or {@code magnitude: <why>}.
     */
    public record Layer(String key, int parameters, int pruned, double threshold, String solver) {
    }

    /** The new kernels by key, per-kernel reports in topological order, and the time taken. */
    public record Result(Map<String, float[]> kernels, List<Layer> layers, long millis) {
    }

    /** The most one batch's input patches of one layer may take. */
    static final long PATCH_BYTES = 256L << 20;

    private LayerReconstruction() {
    }

    /** Reconstructs every layer it can, however many inputs it has, in one stage. */
    public static Result reconstruct(Path model, List<Target> targets, CalibrationData data)
            throws TensorFlowException {
        return reconstruct(model, targets, data, ReconstructionOptions.defaults());
    }

    /** Prunes each kernel of {@code targets} to its sparsity, as {@code options} say. */
    public static Result reconstruct(Path model, List<Target> targets, CalibrationData data,
            ReconstructionOptions options) throws TensorFlowException {
        long started = System.nanoTime();
        ModelWeights weights = SavedModelReader.read(SavedModelInspector.inspect(model));
        Map<String, Double> sparsity = new HashMap<>();
        targets.forEach(t -> sparsity.put(t.key(), t.sparsity()));
        try (InlinedModel running = InlinedModel.open(model, data.signatureKey(), UnaryOperator.identity())) {
            List<ReconstructionPlan.Planned> plan = ReconstructionPlan.of(running, weights, sparsity,
                    options.maxInputs(), options.batchNormWeighted());
            Map<String, Reconstructed> last = new LinkedHashMap<>();
            Map<String, TFloat32> fed = new LinkedHashMap<>();
            try (ProductPass pass = ProductPass.open(running, data, plan)) {
                for (int stage = 1; stage <= options.stages(); stage++) {
                    fed.values().forEach(TFloat32::close);
                    fed.clear();
                    for (ReconstructionPlan.Planned planned : plan) {
                        float[] stored = planned.layout().toOperand(weights.get(planned.key()).values());
                        double share = planned.sparsity() * stage / options.stages();
                        Reconstructed previous = last.get(planned.key());
                        Reconstructed result = planned.products() == null
                                ? Reconstructed.magnitude(stored, share, planned.why())
                                : LayerSolver.solve(planned, stored, share, pass.sums(planned,
                                        options.prunedInputs() ? fed : Map.of()),
                                        previous == null ? new BitSet() : previous.mask(), options);
                        last.put(planned.key(), result);
                        if (planned.op() != null) {
                            fed.put(planned.op().read(), TFloat32.tensorOf(Shape.of(planned.shape()),
                                    DataBuffers.of(result.values(), true, false)));
                        }
                    }
                }
            } finally {
                fed.values().forEach(TFloat32::close);
            }
            Map<String, float[]> kernels = new LinkedHashMap<>();
            List<Layer> layers = new ArrayList<>();
            Map<String, OperandLayout> layouts = new HashMap<>();
            plan.forEach(planned -> layouts.put(planned.key(), planned.layout()));
            last.forEach((key, result) -> {
                kernels.put(key, layouts.get(key).toVariable(result.values()));
                layers.add(new Layer(key, result.values().length, result.pruned(), result.threshold(),
                        result.solver()));
            });
            return new Result(kernels, layers, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot reconstruct the layers of " + model + ": " + e.getMessage(), e);
        }
    }
}
