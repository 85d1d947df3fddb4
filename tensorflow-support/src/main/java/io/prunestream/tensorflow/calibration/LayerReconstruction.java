package io.prunestream.tensorflow.calibration;

import io.prunestream.pruning.reconstruction.ExactObs;
import io.prunestream.pruning.reconstruction.SparseGpt;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.graph.KernelFinder;
import io.prunestream.tensorflow.graph.KernelInputs;
import io.prunestream.tensorflow.graph.VariableKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Layer-wise reconstruction (method {@code obs}): the kernels are pruned one at a time in the order the graph uses
 * them; each one's inputs on the calibration images are taken as the already-pruned earlier layers produce them
 * ({@code X}), its Hessian {@code H = X^T X} (plus damping) is formed, and the weights to remove are chosen and the
 * kept ones moved by Optimal Brain Surgeon: exactly per row ({@link ExactObs}) where the layer is small, with
 * SparseGPT's sweep ({@link SparseGpt}) where it is not. The target is the dense layer's output on the dense
 * network's inputs {@code D}, not on {@code X}: the weights are first moved to the least-squares
 * {@code H^-1 X^T D w}, so that each layer also makes up for the error the layers before it left, instead of passing
 * it on. Conv2D (NHWC, the kernel read as stored) and MatMul (the kernel as second
 * input, any {@code transpose_b}) are reconstructed; any other kernel is pruned by magnitude, and says so.
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

    /** The new kernels by key, per-kernel reports in graph order, and the time taken. */
    public record Result(Map<String, float[]> kernels, List<Layer> layers, long millis) {
    }

    /** The most rows x columns^2 solved exactly: beyond it (8 bytes each), SparseGPT. */
    static final long EXACT_LIMIT = 4_000_000;

    /** One kernel of the plan: how it is read, its products' ops (null: pruned by magnitude, for {@code why}). */
    private record Planned(PrunableKernel kernel, double sparsity, KernelInputs.KernelOp op,
            HessianOps.Products products, String why) {
    }

    private LayerReconstruction() {
    }

    /** Reconstructs every layer it can, however many inputs it has. */
    public static Result reconstruct(Path model, List<Target> targets, CalibrationData data)
            throws TensorFlowException {
        return reconstruct(model, targets, data, Integer.MAX_VALUE);
    }

    /**
     * Prunes each kernel of {@code targets} to its sparsity, reconstructing those that take at most
     * {@code maxInputs} inputs per output (a kernel's cost grows with their cube) and pruning wider ones by magnitude.
     */
    public static Result reconstruct(Path model, List<Target> targets, CalibrationData data, int maxInputs)
            throws TensorFlowException {
        long started = System.nanoTime();
        ModelWeights weights = SavedModelReader.read(SavedModelInspector.inspect(model));
        Map<String, Double> sparsity = new HashMap<>();
        targets.forEach(t -> sparsity.put(t.key(), t.sparsity()));
        try (InlinedModel running = InlinedModel.open(model, UnaryOperator.identity())) {
            List<Planned> plan = plan(running, weights, sparsity, maxInputs);
            Map<String, float[]> kernels = new LinkedHashMap<>();
            List<Layer> layers = new ArrayList<>();
            Map<String, TFloat32> fed = new LinkedHashMap<>();
            String input = running.tensor(data.signatureKey(), data.inputName());
            try (TFloat32 images = images(data, data.count()); TFloat32 one = images(data, 1);
                    DenseInputs dense = DenseInputs.open(running.session(), input, images, one, plan.stream()
                            .filter(p -> p.products() != null).map(p -> p.op().data()).toList())) {
                for (Planned planned : plan) {
                    float[] stored = weights.get(planned.kernel().key()).values();
                    long[] shape = weights.get(planned.kernel().key()).spec().shape().stream()
                            .mapToLong(Long::longValue).toArray();
                    Reconstructed result = planned.products() == null
                            ? Reconstructed.magnitude(stored, planned.sparsity(), planned.why())
                            : solve(planned, stored, shape, products(running.session(), input, images, fed,
                                    planned.products(), dense.of(planned.op().data())));
                    kernels.put(planned.kernel().key(), result.values());
                    layers.add(new Layer(planned.kernel().key(), stored.length, result.pruned(), result.threshold(),
                            result.solver()));
                    if (planned.op() != null) {
                        fed.put(planned.op().read(), TFloat32.tensorOf(Shape.of(shape),
                                DataBuffers.of(result.values(), true, false)));
                    }
                }
            } finally {
                fed.values().forEach(TFloat32::close);
            }
            return new Result(kernels, layers, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot reconstruct the layers of " + model + ": " + e.getMessage(), e);
        }
    }

    /** The targets in graph order, each with its Hessian op where it can be reconstructed. */
    private static List<Planned> plan(InlinedModel running, ModelWeights weights, Map<String, Double> sparsity,
            int maxInputs) {
        Map<String, String> dtypes = weights.model().checkpointDtypes();
        Map<String, String> nodeOfKey = new HashMap<>();
        VariableKeys.of(running.graphDef(), dtypes).forEach((node, key) -> nodeOfKey.put(key, node));
        HessianOps ops = new HessianOps(running.graph());
        List<Planned> plan = new ArrayList<>();
        for (PrunableKernel kernel : KernelFinder.find(running.graphDef(), dtypes).kernels()) {
            Double target = sparsity.get(kernel.key());
            if (target == null) {
                continue;
            }
            Optional<KernelInputs.KernelOp> op = kernel.view().transforms().isEmpty()
                    ? KernelInputs.of(running.graphDef(), kernel.op(), nodeOfKey.get(kernel.key())) : Optional.empty();
            if (op.isEmpty()) {
                plan.add(new Planned(kernel, target, null, null, kernel.opType() + " reading it"
                        + (kernel.view().transforms().isEmpty() ? "" : " through " + kernel.view().transforms())));
                continue;
            }
            long[] shape = shape(weights, kernel.key());
            long inputs = op.get().op().equals("Conv2D") ? shape[0] * shape[1] * shape[2]
                    : shape[op.get().transposedWeights() ? 1 : 0];
            String unsupported = inputs > maxInputs ? inputs + " inputs per output, more than " + maxInputs
                    : ops.unsupported(op.get());
            plan.add(unsupported != null ? new Planned(kernel, target, op.get(), null, unsupported)
                    : new Planned(kernel, target, op.get(), ops.products(op.get(), shape), null));
        }
        return plan;
    }

    private static long[] shape(ModelWeights weights, String key) {
        try {
            return weights.get(key).spec().shape().stream().mapToLong(Long::longValue).toArray();
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static TFloat32 images(CalibrationData data, int count) {
        return TFloat32.tensorOf(Shape.of(data.feed().batchShape(count)), DataBuffers.of(data.feed().values(
                data.images(), 0, count), true, false));
    }

    /**
     * One kernel's Hessian and cross product ({@link HessianOps}), the earlier kernels fed with their new values and
     * the kernel's dense input with {@code dense}.
     */
    private static double[][] products(Session session, String input, TFloat32 images, Map<String, TFloat32> fed,
            HessianOps.Products products, TFloat32 dense) {
        Session.Runner runner = session.runner().feed(input, images).feed(products.dense(), dense);
        fed.forEach(runner::feed);
        try (org.tensorflow.Result result = runner.fetch(products.hessian()).fetch(products.cross()).run()) {
            return new double[][] {doubles((TFloat32) result.get(0)), doubles((TFloat32) result.get(1))};
        }
    }

    private static double[] doubles(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    private static Reconstructed solve(Planned planned, float[] stored, long[] shape, double[][] products)
            throws TensorFlowException {
        WeightMatrix matrix = WeightMatrix.of(stored, shape, planned.op().transposedWeights());
        int rows = matrix.rows();
        int cols = matrix.cols();
        double[] h = products[0];
        HessianAlgebra.damp(h, cols);
        double[] w = HessianAlgebra.leastSquares(h, products[1], matrix.values(), rows, cols);
        BitSet pruned;
        String solver;
        if ((long) rows * cols * cols <= EXACT_LIMIT) {
            pruned = ExactObs.mask(w, rows, cols, HessianAlgebra.inverseDiagonal(h, cols), planned.sparsity());
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
            pruned = SparseGpt.prune(w, rows, cols, HessianAlgebra.upperFactorOfInverse(h, cols), planned.sparsity(),
                    SparseGpt.BLOCK);
            solver = "sparsegpt";
        }
        double threshold = 0;
        double[] original = matrix.values();
        for (int i = pruned.nextSetBit(0); i >= 0; i = pruned.nextSetBit(i + 1)) {
            w[i] = 0;
            threshold = Math.max(threshold, Math.abs(original[i]));
        }
        return new Reconstructed(matrix.stored(w), pruned.cardinality(), threshold, solver);
    }
}
