package io.prunestream.tensorflow.graph;

import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * How a conv or dense op (Conv2D, MatMul, a BatchMatMul, or an Einsum that is a dense layer) of a plain (inlined) graph
 * takes its
 * kernel, as stored or through transposes and reshapes: which input is the
 * data, which the weights, and which tensor carries the variable's value (the read right after the variable, or the
 * variable itself), so that a new value can be fed there. Layer reconstruction needs all three.
 */
public final class KernelInputs {

    /**
     * {@code node}'s data input and its weights' read tensor; {@code transposedWeights} when a MatMul or BatchMatMul
     * reads them {@code [out, in]}.
     */
    public record KernelOp(NodeDef node, String data, String read, boolean transposedWeights) {

        public String op() {
            return node.getOp();
        }

        /** An attribute of the op, or null. */
        public AttrValue attr(String name) {
            return node.getAttrMap().get(name);
        }
    }

    private static final int MAX_HOPS = 16;

    private KernelInputs() {
    }

    /**
     * The inputs of op {@code opNode} when it is a Conv2D, a MatMul, a BatchMatMul or a dense-layer Einsum whose
     * second input reads variable node {@code variable} through reads, identities, transposes and reshapes only, and
     * whose data is not transposed; empty otherwise. (Whether a BatchMatMul's weights are one matrix for every batch
     * is a question of their shape, which the caller answers.) When
     * the way passes a transpose or reshape, the tensor to feed is the op's own weight input, which takes the kernel
     * in the op's layout ({@link io.prunestream.tensorflow.OperandLayout}).
     */
    public static Optional<KernelOp> of(GraphDef graph, String opNode, String variable) {
        GraphScope scope = GraphScope.of(graph);
        NodeDef node = scope.node(opNode);
        if (node == null || !(node.getOp().equals("Conv2D") || node.getOp().equals("MatMul") || batchMatMul(node)
                || node.getOp().equals("Einsum") && denseEinsum(node)) || node.getInputCount() < 2) {
            return Optional.empty();
        }
        String read = read(scope, node.getInput(1), variable);
        if (read == null || flag(node, "transpose_a") || flag(node, "adj_x")) {
            return Optional.empty();
        }
        return Optional.of(new KernelOp(node, node.getInput(0), read, flag(node, "transpose_b")
                || flag(node, "adj_y")));
    }

    /**
     * The tensor right after {@code variable} on the way to {@code input} ({@code input} itself when the way passed a
     * transpose or reshape), or null when the way has other ops.
     */
    private static String read(GraphScope scope, String input, String variable) {
        String current = input;
        boolean transformed = false;
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            String name = scope.input(current).node();
            NodeDef node = scope.node(name);
            if (node == null) {
                return null;
            }
            if (name.equals(variable)) {
                // The variable itself feeds the op (a TF1 graph): its output is what to feed.
                return transformed ? input : current;
            }
            boolean transform = node.getOp().equals("Transpose") || node.getOp().equals("Reshape");
            if (!(transform || node.getOp().equals("ReadVariableOp") || node.getOp().equals("Identity")
                    || node.getOp().equals("Snapshot")) || node.getInputCount() == 0) {
                return null;
            }
            transformed |= transform;
            if (scope.input(node.getInput(0)).node().equals(variable)) {
                return transformed ? input : current;
            }
            current = node.getInput(0);
        }
        return null;
    }

    /**
     * Whether an Einsum is a dense layer on its data's last axis, {@code <P>c,cd-><P>d} (Keras EinsumDense, and Dense
     * on rank-3 input: {@code abc,cd->abd}): then its rows are the data reshaped to {@code [-1, c]}, as a MatMul's.
     */
    private static boolean denseEinsum(NodeDef node) {
        AttrValue equation = node.getAttrMap().get("equation");
        if (equation == null) {
            return false;
        }
        String[] sides = equation.getS().toStringUtf8().replace(" ", "").split("->");
        String[] operands = sides.length == 2 ? sides[0].split(",") : new String[0];
        if (operands.length != 2 || operands[1].length() != 2 || operands[0].isEmpty()
                || !(sides[0] + sides[1]).matches("[a-zA-Z,]+")) {
            return false;
        }
        String data = operands[0];
        char in = operands[1].charAt(0);
        char out = operands[1].charAt(1);
        String prefix = data.substring(0, data.length() - 1);
        return data.charAt(data.length() - 1) == in && in != out && prefix.indexOf(in) < 0 && prefix.indexOf(out) < 0
                && sides[1].equals(prefix + out) && prefix.chars().distinct().count() == prefix.length();
    }

    /** BatchMatMul and its V2 (broadcasting) and V3 (mixed types) forms. */
    public static boolean batchMatMul(NodeDef node) {
        return node.getOp().startsWith("BatchMatMul");
    }

    private static boolean flag(NodeDef node, String attr) {
        AttrValue value = node.getAttrMap().get(attr);
        return value != null && value.getB();
    }
}
