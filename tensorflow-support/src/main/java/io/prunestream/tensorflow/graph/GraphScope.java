package io.prunestream.tensorflow.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * The nodes of the graph itself or of one library function, by name. The two spell inputs differently: the graph as
 * {@code node} or {@code node:1}, a function as {@code node:output_arg:0}, or a bare argument name for the function's
 * own inputs; {@link #input} reads both.
 */
final class GraphScope {

    /** An input: the node (or function argument) it comes from, and which of its outputs. */
    record Input(String node, int output, boolean control) {
    }

    private final String function;
    private final List<NodeDef> nodes;
    private final Map<String, NodeDef> byName = new HashMap<>();
    private final Map<String, Integer> arguments = new HashMap<>();

    private GraphScope(String function, List<NodeDef> nodes) {
        this.function = function;
        this.nodes = nodes;
        nodes.forEach(node -> byName.put(node.getName(), node));
    }

    static GraphScope of(GraphDef graph) {
        return new GraphScope(null, graph.getNodeList());
    }

    static GraphScope of(FunctionDef function) {
        GraphScope scope = new GraphScope(function.getSignature().getName(), function.getNodeDefList());
        List<OpDef.ArgDef> args = function.getSignature().getInputArgList();
        for (int i = 0; i < args.size(); i++) {
            scope.arguments.put(args.get(i).getName(), i);
        }
        return scope;
    }

    /** The function's name, or null for the graph. */
    String function() {
        return function;
    }

    List<NodeDef> nodes() {
        return nodes;
    }

    NodeDef node(String name) {
        return byName.get(name);
    }

    /** The position of a function argument, or -1 when {@code name} is not one. */
    int argument(String name) {
        return arguments.getOrDefault(name, -1);
    }

    /** Where a node's op is reported from: {@code node} in the graph, {@code function/node} in a function. */
    String path(NodeDef node) {
        return function == null ? node.getName() : function + "/" + node.getName();
    }

    Input input(String text) {
        boolean control = text.startsWith("^");
        String name = control ? text.substring(1) : text;
        String[] parts = name.split(":");
        int output = parts.length == 1 ? 0 : Integer.parseInt(parts[parts.length - 1]);
        return new Input(parts[0], output, control);
    }

    /** A node's data inputs (control inputs left out), in order. */
    List<String> dataInputs(NodeDef node) {
        return node.getInputList().stream().filter(input -> !input.startsWith("^")).toList();
    }
}
