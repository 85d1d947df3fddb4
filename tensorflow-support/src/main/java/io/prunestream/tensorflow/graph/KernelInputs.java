package io.prunestream.tensorflow.graph;

import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * How a conv or dense op of a plain (inlined) graph takes its kernel, when it takes it as stored: which input is the
 * data, which the weights, and which tensor carries the variable's value (the read right after the variable, or the
 * variable itself), so that a new value can be fed there. Layer reconstruction needs all three.
 */
public final class KernelInputs {

    /**
     * {@code node}'s data input and its weights' read tensor; {@code transposedWeights} when a MatMul reads them
     * {@code [out, in]}.
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
     * The inputs of op {@code opNode} when it is a Conv2D or a MatMul whose second input reads variable node
     * {@code variable} directly (through reads and identities only); empty otherwise.
     */
    public static Optional<KernelOp> of(GraphDef graph, String opNode, String variable) {
        GraphScope scope = GraphScope.of(graph);
        NodeDef node = scope.node(opNode);
        if (node == null || !(node.getOp().equals("Conv2D") || node.getOp().equals("MatMul"))
                || node.getInputCount() < 2) {
            return Optional.empty();
        }
        String read = read(scope, node.getInput(1), variable);
        if (read == null) {
            return Optional.empty();
        }
        boolean transposedData = flag(node, "transpose_a");
        if (node.getOp().equals("MatMul") && transposedData) {
            return Optional.empty();
        }
        return Optional.of(new KernelOp(node, node.getInput(0), read, flag(node, "transpose_b")));
    }

    /** The tensor right after {@code variable} on the way to {@code input}, or null when the way has other ops. */
    private static String read(GraphScope scope, String input, String variable) {
        String current = input;
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            String name = scope.input(current).node();
            NodeDef node = scope.node(name);
            if (node == null) {
                return null;
            }
            if (name.equals(variable)) {
                // The variable itself feeds the op (a TF1 graph): its output is what to feed.
                return current;
            }
            if (!(node.getOp().equals("ReadVariableOp") || node.getOp().equals("Identity")
                    || node.getOp().equals("Snapshot")) || node.getInputCount() == 0) {
                return null;
            }
            if (scope.input(node.getInput(0)).node().equals(variable)) {
                return current;
            }
            current = node.getInput(0);
        }
        return null;
    }

    private static boolean flag(NodeDef node, String attr) {
        AttrValue value = node.getAttrMap().get(attr);
        return value != null && value.getB();
    }
}
