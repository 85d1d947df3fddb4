package io.prunestream.tensorflow.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * A graph with every call of a library function replaced by the function's body, nested calls too: each body node
 * becomes {@code <call>/<node>}, each argument the tensor the caller passed, and the call itself an
 * {@code IdentityN} of the function's results, so whatever read {@code call:k} reads the same value. Inside a
 * function a tensor cannot be fed or fetched; after inlining every tensor of a TF2 SavedModel can, which is what
 * calibrating its batch norm and reconstructing its layers need. Control outputs of a function become control inputs
 * of its {@code IdentityN}, so running the call still runs its side effects (the restore function's assignments).
 */
public final class FunctionInliner {

    private static final int MAX_DEPTH = 32;
    private static final Map<String, OpDef> OPS = new HashMap<>();

    private final Map<String, FunctionDef> library = new HashMap<>();
    private final List<NodeDef> nodes = new ArrayList<>();

    private FunctionInliner(GraphDef graph) {
        graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
    }

    /** {@code graph} with its calls inlined; the library stays, for anything that names a function otherwise. */
    public static GraphDef inline(GraphDef graph) {
        FunctionInliner inliner = new FunctionInliner(graph);
        for (NodeDef node : graph.getNodeList()) {
            FunctionDef callee = inliner.library.get(FunctionCalls.callee(node));
            if (callee == null) {
                inliner.nodes.add(node);
            } else {
                List<String> inputs = new ArrayList<>();
                List<String> controls = new ArrayList<>();
                node.getInputList().forEach(in -> (in.startsWith("^") ? controls : inputs).add(in));
                inliner.call(node, callee, node.getName() + "/", inputs, controls, 0);
            }
        }
        return graph.toBuilder().clearNode().addAllNode(inliner.nodes).build();
    }

    /** Emits {@code callee}'s body for the call {@code node}, its arguments bound to {@code arguments}. */
    private void call(NodeDef node, FunctionDef callee, String prefix, List<String> arguments, List<String> controls,
            int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("function calls nested deeper than " + MAX_DEPTH + " at "
                    + node.getName());
        }
        Map<String, String> bound = new HashMap<>();
        List<OpDef.ArgDef> args = callee.getSignature().getInputArgList();
        for (int i = 0; i < args.size() && i < arguments.size(); i++) {
            bound.put(args.get(i).getName(), arguments.get(i));
        }
        Map<String, NodeDef> body = new HashMap<>();
        callee.getNodeDefList().forEach(n -> body.put(n.getName(), n));
        for (NodeDef inner : callee.getNodeDefList()) {
            List<String> inputs = new ArrayList<>();
            List<String> innerControls = new ArrayList<>(controls);
            for (String input : inner.getInputList()) {
                if (input.startsWith("^")) {
                    innerControls.add("^" + prefix + input.substring(1));
                } else {
                    inputs.add(respell(input, prefix, bound, body));
                }
            }
            FunctionDef nested = library.get(FunctionCalls.callee(inner));
            if (nested != null) {
                call(inner, nested, prefix + inner.getName() + "/", inputs, innerControls, depth + 1);
            } else {
                nodes.add(inner.toBuilder().setName(prefix + inner.getName()).clearInput().addAllInput(inputs)
                        .addAllInput(innerControls).build());
            }
        }
        // The call's outputs, in order: what read "call:k" now reads output k of this IdentityN.
        NodeDef.Builder results = NodeDef.newBuilder().setName(prefix.substring(0, prefix.length() - 1))
                .setOp("IdentityN");
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        for (OpDef.ArgDef output : callee.getSignature().getOutputArgList()) {
            results.addInput(respell(callee.getRetOrThrow(output.getName()), prefix, bound, body));
            types.addType(output.getType() == DataType.DT_INVALID ? DataType.DT_FLOAT : output.getType());
        }
        callee.getControlRetMap().values().forEach(name -> results.addInput("^" + prefix + name));
        nodes.add(results.putAttr("T", AttrValue.newBuilder().setList(types).build()).build());
    }

    /** A function-style input ({@code arg}, {@code node:output_arg:k}) as the graph spells it. */
    private String respell(String input, String prefix, Map<String, String> bound, Map<String, NodeDef> body) {
        String[] parts = input.split(":");
        if (parts.length == 1) {
            String argument = bound.get(parts[0]);
            return argument != null ? argument : prefix + parts[0];
        }
        NodeDef node = body.get(parts[0]);
        int index = parts.length == 3 ? outputIndex(node, parts[1], Integer.parseInt(parts[2]))
                : Integer.parseInt(parts[1]);
        return prefix + parts[0] + (index == 0 ? "" : ":" + index);
    }

    /** The flat output index of output argument {@code name}'s element {@code k}. */
    private int outputIndex(NodeDef node, String name, int k) {
        if (node == null) {
            throw new IllegalArgumentException("a function input names a node it does not hold (output " + name
                    + ")");
        }
        FunctionDef function = library.get(FunctionCalls.callee(node));
        if (function != null) {
            // A call: its outputs are the function's results; StatefulPartitionedCall has one list of them.
            List<OpDef.ArgDef> outputs = function.getSignature().getOutputArgList();
            for (int i = 0; i < outputs.size(); i++) {
                if (outputs.get(i).getName().equals(name)) {
                    return i + k;
                }
            }
            return k;
        }
        OpDef op = op(node.getOp());
        int index = 0;
        for (OpDef.ArgDef arg : op.getOutputArgList()) {
            if (arg.getName().equals(name)) {
                return index + k;
            }
            index += size(node, op, arg);
        }
        throw new IllegalArgumentException("op " + node.getOp() + " of node " + node.getName() + " has no output '"
                + name + "'");
    }

    private static int size(NodeDef node, OpDef op, OpDef.ArgDef arg) {
        if (!arg.getNumberAttr().isEmpty()) {
            return (int) attr(node, op, arg.getNumberAttr()).getI();
        }
        if (!arg.getTypeListAttr().isEmpty()) {
            return attr(node, op, arg.getTypeListAttr()).getList().getTypeCount();
        }
        return 1;
    }

    private static AttrValue attr(NodeDef node, OpDef op, String name) {
        AttrValue value = node.getAttrMap().get(name);
        if (value != null) {
            return value;
        }
        return op.getAttrList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(OpDef.AttrDef::getDefaultValue).orElseThrow(() -> new IllegalArgumentException(
                        "node " + node.getName() + " lacks attribute " + name));
    }

    /** The definition of the registered op {@code type}. */
    public static synchronized OpDef op(String type) {
        if (OPS.isEmpty()) {
            TensorFlow.registeredOpList().getOpList().forEach(op -> OPS.put(op.getName(), op));
        }
        OpDef op = OPS.get(type);
        if (op == null) {
            throw new IllegalArgumentException("TensorFlow has no op " + type);
        }
        return op;
    }
}
