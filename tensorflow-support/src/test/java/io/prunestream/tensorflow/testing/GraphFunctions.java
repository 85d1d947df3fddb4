package io.prunestream.tensorflow.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Turns a graph built with TensorFlow Java's ops into a library function, as Python's {@code tf.function} tracing
 * writes them: chosen placeholders become the function's arguments (resource placeholders become resource
 * arguments, as captured variables are), every other node moves into the body with its inputs respelled
 * ({@code node:output_arg:index}), and chosen tensors become its results.
 */
final class GraphFunctions {

    /** A placeholder of the body graph that becomes argument {@code name} of type {@code type}. */
    record Argument(String placeholder, String name, DataType type) {
    }


    private GraphFunctions() {
    }

    /**
     * @param results result name to graph tensor ({@code node} or {@code node:index}), each of type float
     */
    static FunctionDef function(GraphDef body, String name, List<Argument> arguments, Map<String, String> results) {
        Map<String, String> argumentOf = new HashMap<>();
        OpDef.Builder signature = OpDef.newBuilder().setName(name).setIsStateful(true);
        for (Argument argument : arguments) {
            argumentOf.put(argument.placeholder(), argument.name());
            signature.addInputArg(OpDef.ArgDef.newBuilder().setName(argument.name()).setType(argument.type()));
        }
        Map<String, NodeDef> nodes = new HashMap<>();
        body.getNodeList().forEach(node -> nodes.put(node.getName(), node));
        FunctionDef.Builder function = FunctionDef.newBuilder();
        for (NodeDef node : body.getNodeList()) {
            if (argumentOf.containsKey(node.getName())) {
                continue;
            }
            NodeDef.Builder copy = node.toBuilder().clearInput().clearDevice();
            for (String input : node.getInputList()) {
                copy.addInput(input.startsWith("^") ? input : respell(input, nodes, argumentOf));
            }
            function.addNodeDef(copy);
        }
        results.forEach((result, tensor) -> {
            signature.addOutputArg(OpDef.ArgDef.newBuilder().setName(result).setType(DataType.DT_FLOAT));
            function.putRet(result, respell(tensor, nodes, argumentOf));
        });
        return function.setSignature(signature).build();
    }

    /** A graph input ({@code node} or {@code node:k}) as a function body spells it. */
    private static String respell(String input, Map<String, NodeDef> nodes, Map<String, String> argumentOf) {
        String[] parts = input.split(":");
        int index = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        if (argumentOf.containsKey(parts[0])) {
            return argumentOf.get(parts[0]);
        }
        NodeDef node = nodes.get(parts[0]);
        List<String> outputs = outputNames(node);
        return parts[0] + ":" + outputs.get(index);
    }

    /** {@code name:k} for each flat output of the node, from its op's definition. */
    private static List<String> outputNames(NodeDef node) {
        OpDef op = op(node.getOp());
        List<String> names = new ArrayList<>();
        for (OpDef.ArgDef arg : op.getOutputArgList()) {
            int count = 1;
            if (!arg.getNumberAttr().isEmpty()) {
                count = (int) attr(node, op, arg.getNumberAttr()).getI();
            } else if (!arg.getTypeListAttr().isEmpty()) {
                count = attr(node, op, arg.getTypeListAttr()).getList().getTypeCount();
            }
            for (int k = 0; k < count; k++) {
                names.add(arg.getName() + ":" + k);
            }
        }
        return names;
    }

    private static AttrValue attr(NodeDef node, OpDef op, String name) {
        AttrValue value = node.getAttrMap().get(name);
        if (value != null) {
            return value;
        }
        return op.getAttrList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow()
                .getDefaultValue();
    }

    static OpDef op(String type) {
        return io.prunestream.tensorflow.graph.FunctionInliner.op(type);
    }
}
