package io.prunestream.tensorflow.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * The ops that read a kernel, which of their inputs may be one, and which axes of that input hold the op's output
 * channels (negative: from the end). One table, so a new op is one line.
 */
final class KernelReads {

    /** Input {@code input} of the op, if it is a variable, is a kernel of this kind with these output axes. */
    record Read(String kind, int input, List<Integer> outputAxes) {
    }

    private KernelReads() {
    }

    /** What {@code node} may read as a kernel; empty for every other op. */
    static List<Read> of(NodeDef node) {
        return switch (node.getOp()) {
            case "Conv2D", "Conv3D" -> List.of(new Read("conv", 1, List.of(-1)));
            // The filter of a transposed convolution is [h, w, out, in].
            case "Conv2DBackpropInput" -> List.of(new Read("conv", 1, List.of(-2)));
            // [h, w, in, multiplier]: output channel c * multiplier + m.
            case "DepthwiseConv2dNative" -> List.of(new Read("conv", 1, List.of(-2, -1)));
            case "MatMul" -> List.of(new Read("dense", 1, List.of(flag(node, "transpose_b") ? 0 : -1)),
                    new Read("dense", 0, List.of(flag(node, "transpose_a") ? -1 : 0)));
            case "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3" -> List.of(
                    new Read("dense", 1, List.of(flag(node, "adj_y") ? -2 : -1)),
                    new Read("dense", 0, List.of(flag(node, "adj_x") ? -1 : -2)));
            case "Einsum" -> einsum(node);
            default -> List.of();
        };
    }

    private static boolean flag(NodeDef node, String attr) {
        AttrValue value = node.getAttrMap().get(attr);
        return value != null && value.getB();
    }

    /**
     * For each operand of an equation such as {@code abc,cd->abd} (Keras EinsumDense, and Dense on rank-3 input):
     * the operand's axes whose letters survive into the output. Operands with an ellipsis are left alone.
     */
    private static List<Read> einsum(NodeDef node) {
        AttrValue equation = node.getAttrMap().get("equation");
        if (equation == null) {
            return List.of();
        }
        String[] sides = equation.getS().toStringUtf8().replace(" ", "").split("->");
        if (sides.length != 2) {
            return List.of();
        }
        String[] operands = sides[0].split(",");
        List<Read> reads = new ArrayList<>();
        for (int k = 0; k < operands.length; k++) {
            if (operands[k].contains(".")) {
                continue;
            }
            List<Integer> axes = new ArrayList<>();
            for (int a = 0; a < operands[k].length(); a++) {
                if (sides[1].indexOf(operands[k].charAt(a)) >= 0) {
                    axes.add(a);
                }
            }
            if (!axes.isEmpty()) {
                reads.add(new Read("dense", k, axes));
            }
        }
        return reads;
    }
}
