package io.prunestream.tensorflow.calibration;

import io.prunestream.datasets.DatasetException;
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

    /** The most one batch's input patches of one layer may take. */
    static final long PATCH_BYTES = 256L << 20;

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
        try (InlinedModel running = InlinedModel.open(model, data.signatureKey(), UnaryOperator.identity())) {
            List<Planned> plan = plan(running, weights, sparsity, maxInputs);
            Map<String, float[]> kernels = new LinkedHashMap<>();
            List<Layer> layers = new ArrayList<>();
            Map<String, TFloat32> fed = new LinkedHashMap<>();
            String input = running.tensor(data.signatureKey(), data.inputName());
            List<String> denseTensors = plan.stream().filter(p -> p.products() != null).map(p -> p.op().data())
                    .toList();
            Map<String, Long> perImage;
            try (TFloat32 one = images(data, 0, 1)) {
                perImage = DenseInputs.perImage(running.session(), input, one, denseTensors);
            }
            int batch = batchSize(plan, perImage, data, weights);
            int batches = (data.count() + batch - 1) / batch;
            DenseInputs.Batches maker = b -> images(data, b * batch, Math.min(batch, data.count() - b * batch));
            long denseBytes = perImage.values().stream().mapToLong(Long::longValue).sum();
            try (DenseInputs dense = DenseInputs.open(running.session(), input, maker, batches, denseBytes,
                    data.count(), denseTensors)) {
                for (Planned planned : plan) {
                    float[] stored = weights.get(planned.kernel().key()).values();
                    long[] shape = weights.get(planned.kernel().key()).spec().shape().stream()
                            .mapToLong(Long::longValue).toArray();
                    Reconstructed result = planned.products() == null
                            ? Reconstructed.magnitude(stored, planned.sparsity(), planned.why())
                            : solve(planned, stored, shape, products(running.session(), input, maker, batches, fed,
                                    planned, dense));
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

    /** The calibration images {@code from .. from + n - 1} as one input tensor; the caller closes it. */
    private static TFloat32 images(CalibrationData data, int from, int n) {
        try {
            return TFloat32.tensorOf(Shape.of(data.feed().batchShape(n)), DataBuffers.of(data.images(from, n), true,
                    false));
        } catch (DatasetException e) {
            throw new IllegalStateException("cannot read the calibration images: " + e.detail(), e);
        }
    }

    /**
     * Images per batch, so that the largest layer's input patches ({@link HessianOps}: a Conv2D's input repeated for
     * each of its window's positions, at most) take no more than {@link #PATCH_BYTES} for one batch, nor the images
     * more than the calibration data's batch: every image at once for small inputs, as few as one for large ones.
     */
    private static int batchSize(List<Planned> plan, Map<String, Long> perImage, CalibrationData data,
            ModelWeights weights) {
        long widest = 4L * data.feed().valuesPerImage();
        for (Planned planned : plan) {
            if (planned.products() == null) {
                continue;
            }
            long bytes = perImage.getOrDefault(planned.op().data(), 4L * data.feed().valuesPerImage());
            if (planned.op().op().equals("Conv2D")) {
                long[] shape = shape(weights, planned.kernel().key());
                bytes *= shape[0] * shape[1];
            }
            widest = Math.max(widest, bytes);
        }
        return (int) Math.max(1, Math.min(data.batchSize(), PATCH_BYTES / widest));
    }

    /**
     * One kernel's Hessian and cross product ({@link HessianOps}) summed over the batches, the earlier kernels fed
     * with their new values and the kernel's dense input with the dense network's.
     */
    private static double[][] products(Session session, String input, DenseInputs.Batches maker, int batches,
            Map<String, TFloat32> fed, Planned planned, DenseInputs dense) {
        double[][] sums = null;
        for (int b = 0; b < batches; b++) {
            try (TFloat32 images = maker.batch(b)) {
                Session.Runner runner = session.runner().feed(input, images).feed(planned.products().dense(),
                        dense.of(planned.op().data(), b, images));
                fed.forEach(runner::feed);
                try (org.tensorflow.Result result = runner.fetch(planned.products().hessian())
                        .fetch(planned.products().cross()).run()) {
                    if (sums == null) {
                        sums = new double[][] {new double[(int) result.get(0).size()],
                            new double[(int) result.get(1).size()]};
                    }
                    add(sums[0], (TFloat32) result.get(0));
                    add(sums[1], (TFloat32) result.get(1));
                }
            }
        }
        return sums;
    }

    private static void add(double[] sums, TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        for (int i = 0; i < values.length; i++) {
            sums[i] += values[i];
        }
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
