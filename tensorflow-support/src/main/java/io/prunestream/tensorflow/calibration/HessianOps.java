package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.graph.KernelInputs;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The ops, added to a model's running graph, that form one kernel's input Hessian {@code X^T X} on a batch, and the
 * cross product {@code X^T D} with the dense network's input of the same kernel {@code D} (fed): for a Conv2D the
 * rows are its input's patches (the same window, strides and dilations, in the kernel's [h, w, in] order), for a
 * MatMul its input itself, for a dense-layer Einsum or a BatchMatMul every position of its input's other axes.
 */
final class HessianOps {

    private final Graph graph;
    private final Ops tf;

    HessianOps(Graph graph) {
        this.graph = graph;
        this.tf = Ops.create(graph).withSubScope("reconstruction");
    }

    /** Why this op's kernel, {@code shape} as the op reads it, cannot be reconstructed, or null when it can. */
    String unsupported(KernelInputs.KernelOp op, long[] shape) {
        if (KernelInputs.batchMatMul(op.node())) {
            // A weight of rank 3 or more holds a matrix per batch: no one output row is a filter.
            return shape.length == 2 ? null : op.op() + " with a weight of rank " + shape.length;
        }
        if (!op.op().equals("Conv2D")) {
            return null;
        }
        AttrValue format = op.attr("data_format");
        if (format != null && !format.getS().toStringUtf8().equals("NHWC")) {
            return "Conv2D in " + format.getS().toStringUtf8();
        }
        String padding = op.attr("padding").getS().toStringUtf8();
        return padding.equals("SAME") || padding.equals("VALID") ? null : "Conv2D with " + padding + " padding";
    }

    /** The products of one kernel's inputs, and where the dense network's input is fed. */
    record Products(Operand<TFloat64> hessian, Operand<TFloat64> cross, Placeholder<TFloat32> dense) {
    }

    /**
     * The products of {@code op}'s kernel, of shape {@code kernelShape}, in double precision: a conv's Hessian sums
     * hundreds of thousands of patch rows per batch, and float32 sums lose the small eigenvalues the inverse needs.
     */
    Products products(KernelInputs.KernelOp op, long[] kernelShape) {
        Operand<TFloat32> x = floats(graph.outputOrThrow(op.data().contains(":") ? op.data() : op.data() + ":0"));
        Placeholder<TFloat32> dense = tf.placeholder(TFloat32.class);
        Operand<TFloat64> rows = tf.dtypes.cast(rows(op, kernelShape, x), TFloat64.class);
        Operand<TFloat64> denseRows = tf.dtypes.cast(rows(op, kernelShape, dense), TFloat64.class);
        return new Products(tf.linalg.matMul(rows, rows, MatMul.transposeA(true)),
                tf.linalg.matMul(rows, denseRows, MatMul.transposeA(true)), dense);
    }

    private Operand<TFloat32> rows(KernelInputs.KernelOp op, long[] kernelShape, Operand<TFloat32> x) {
        if (op.op().equals("Einsum") || KernelInputs.batchMatMul(op.node())) {
            // A dense layer on the data's last axis: every position of the other axes is one row.
            return tf.reshape(x, tf.constant(new long[] {-1, kernelShape[op.transposedWeights() ? 1 : 0]}));
        }
        if (!op.op().equals("Conv2D")) {
            return x;
        }
        long inputs = kernelShape[0] * kernelShape[1] * kernelShape[2];
        Operand<TFloat32> patches = tf.image.extractImagePatches(x, List.of(1L, kernelShape[0], kernelShape[1], 1L),
                longs(op.attr("strides")), dilations(op), op.attr("padding").getS().toStringUtf8());
        return tf.reshape(patches, tf.constant(new long[] {-1, inputs}));
    }

    private static List<Long> dilations(KernelInputs.KernelOp op) {
        AttrValue dilations = op.attr("dilations");
        return dilations == null ? List.of(1L, 1L, 1L, 1L) : longs(dilations);
    }

    private static List<Long> longs(AttrValue value) {
        return new ArrayList<>(value.getList().getIList());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Operand<TFloat32> floats(Output<?> output) {
        return (Output) output;
    }
}
