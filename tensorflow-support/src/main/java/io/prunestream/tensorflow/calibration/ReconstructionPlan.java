package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.KernelView;
import io.prunestream.tensorflow.OperandLayout;
import io.prunestream.datasets.DatasetException;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.graph.BatchNormAfter;
import io.prunestream.tensorflow.graph.GraphOrder;
import io.prunestream.tensorflow.graph.KernelFinder;
import io.prunestream.tensorflow.graph.KernelInputs;
import io.prunestream.tensorflow.graph.VariableKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Which kernels a reconstruction visits, in a topological order of the graph ({@link GraphOrder}: each after the
 * layers that feed it, whatever order the graph lists its nodes in), and how each is read: with its Hessian
 * ops where it can be reconstructed, or why it cannot (then it is pruned by magnitude).
 */
final class ReconstructionPlan {

    /**
     * One kernel of the plan: how it is read, its products' ops (null: pruned by magnitude, for {@code why}), and its
     * {@code layout}: {@code shape} is the kernel as its op takes it, the variable put through the transposes and
     * reshapes between them; the values are solved in that layout and written back in the variable's.
     * {@code outputScale}: what the batch norm after the op multiplies each output channel by (null: none known, or
     * not asked for).
     */
    record Planned(PrunableKernel kernel, double sparsity, KernelInputs.KernelOp op, HessianOps.Products products,
            String why, OperandLayout layout, double[] outputScale) {

        String key() {
            return kernel.key();
        }

        long[] shape() {
            return layout.operandShape();
        }
    }

    private ReconstructionPlan() {
    }

    /**
     * The kernels of {@code sparsity}'s keys in topological order, each with its Hessian op where it can be solved and,
     * when {@code batchNormWeighted}, the scale of the batch norm after it.
     */
    static List<Planned> of(InlinedModel running, ModelWeights weights, Map<String, Double> sparsity, int maxInputs,
            boolean batchNormWeighted) {
        Map<String, String> dtypes = weights.model().checkpointDtypes();
        Map<String, String> nodeOfKey = new HashMap<>();
        VariableKeys.of(running.graphDef(), dtypes).forEach((node, key) -> nodeOfKey.put(key, node));
        HessianOps ops = new HessianOps(running.graph());
        List<Planned> plan = new ArrayList<>();
        Map<String, Integer> order = GraphOrder.of(running.graphDef());
        Map<String, BatchNormAfter.Norm> norms = batchNormWeighted ? BatchNormAfter.of(running.graphDef(), dtypes)
                : Map.of();
        List<PrunableKernel> kernels = new ArrayList<>(KernelFinder.find(running.graphDef(), dtypes).kernels());
        kernels.sort(Comparator.comparing(k -> order.getOrDefault(k.op(), Integer.MAX_VALUE)));
        for (PrunableKernel kernel : kernels) {
            Double target = sparsity.get(kernel.key());
            if (target == null) {
                continue;
            }
            long[] stored = shape(weights, kernel.key());
            Optional<OperandLayout> layout = OperandLayout.of(kernel.view(), stored);
            Optional<KernelInputs.KernelOp> op = layout.isEmpty() ? Optional.empty()
                    : KernelInputs.of(running.graphDef(), kernel.op(), nodeOfKey.get(kernel.key()));
            if (op.isEmpty()) {
                // Pruned by magnitude as stored: the layout does not matter to it.
                plan.add(new Planned(kernel, target, null, null, kernel.opType() + " reading it"
                        + (kernel.view().transforms().isEmpty() ? "" : " through " + kernel.view().transforms()),
                        OperandLayout.of(KernelView.lastAxis(), stored).orElseThrow(), null));
                continue;
            }
            long[] shape = layout.get().operandShape();
            long inputs = op.get().op().equals("Conv2D") ? shape[0] * shape[1] * shape[2]
                    : shape[op.get().transposedWeights() ? 1 : 0];
            // The op's own refusal first: a rank-3 BatchMatMul weight's first axis is its batch, not its inputs.
            String unsupported = ops.unsupported(op.get(), shape);
            if (unsupported == null && inputs > maxInputs) {
                unsupported = inputs + " inputs per output, more than " + maxInputs;
            }
            if (unsupported != null) {
                plan.add(new Planned(kernel, target, op.get(), null, unsupported, layout.get(), null));
                continue;
            }
            double[] scale = OutputScales.of(norms.get(kernel.op()), weights,
                    shape[op.get().transposedWeights() ? 0 : shape.length - 1]);
            plan.add(new Planned(kernel, target, op.get(), ops.products(op.get(), shape), null, layout.get(), scale));
        }
        return plan;
    }

    static long[] shape(ModelWeights weights, String key) {
        try {
            return weights.get(key).spec().shape().stream().mapToLong(Long::longValue).toArray();
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The calibration images {@code from .. from + n - 1} as one input tensor; the caller closes it. */
    static TFloat32 images(CalibrationData data, int from, int n) {
        try {
            return TFloat32.tensorOf(Shape.of(data.feed().batchShape(n)), DataBuffers.of(data.images(from, n), true,
                    false));
        } catch (DatasetException e) {
            throw new IllegalStateException("cannot read the calibration images: " + e.detail(), e);
        }
    }
}
