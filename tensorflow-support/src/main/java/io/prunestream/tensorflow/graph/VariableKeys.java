package io.prunestream.tensorflow.graph;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Which checkpoint key each variable node of the graph holds, read from the model's own restore ops: the key that a
 * {@code RestoreV2} output carries into the {@code Assign}/{@code AssignVariableOp} of a variable. In a TF2
 * SavedModel that restore lives in a library function ({@code __inference__traced_restore_*}) whose arguments are the
 * graph's {@code VarHandleOp}s, passed in by the call that the saver runs; the keys are object paths such as
 * {@code layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE}, nothing like the variable's name. A variable no
 * restore op assigns falls back to its name or {@code shared_name}, when that is a key.
 */
public final class VariableKeys {

    private static final int MAX_HOPS = 16;

    private VariableKeys() {
    }

    /** The checkpoint key of each variable node of {@code graph}, by node name. */
    public static Map<String, String> of(GraphDef graph, Map<String, String> checkpointDtypes) {
        GraphScope outer = GraphScope.of(graph);
        Map<String, String> keys = new HashMap<>();
        // Name-based checkpoints restore in the graph itself.
        assignedKeys(outer).forEach((variable, key) -> keys.put(variable, key));
        for (FunctionDef function : graph.getLibrary().getFunctionList()) {
            GraphScope scope = GraphScope.of(function);
            Map<String, String> byArgument = assignedKeys(scope);
            if (byArgument.isEmpty()) {
                continue;
            }
            for (NodeDef call : outer.nodes()) {
                if (!function.getSignature().getName().equals(FunctionCalls.callee(call))) {
                    continue;
                }
                List<String> inputs = outer.dataInputs(call);
                byArgument.forEach((argument, key) -> {
                    int position = scope.argument(argument);
                    if (position >= 0 && position < inputs.size()) {
                        String variable = variableNode(outer, inputs.get(position));
                        if (variable != null) {
                            keys.putIfAbsent(variable, key);
                        }
                    }
                });
            }
        }
        for (NodeDef node : outer.nodes()) {
            if (isVariable(node) && !keys.containsKey(node.getName())) {
                String shared = sharedName(node);
                if (checkpointDtypes.containsKey(node.getName())) {
                    keys.put(node.getName(), node.getName());
                } else if (shared != null && checkpointDtypes.containsKey(shared)) {
                    keys.put(node.getName(), shared);
                }
            }
        }
        return keys;
    }

    static boolean isVariable(NodeDef node) {
        return switch (node.getOp()) {
            case "VarHandleOp", "VariableV2", "Variable" -> true;
            default -> false;
        };
    }

    /**
     * In one scope: the key each assigned variable receives from a {@code RestoreV2}, by the name of the variable
     * node (in the graph) or of the function argument (in a function).
     */
    private static Map<String, String> assignedKeys(GraphScope scope) {
        Map<String, List<String>> restored = new HashMap<>();
        for (NodeDef node : scope.nodes()) {
            if (node.getOp().equals("RestoreV2") && node.getInputCount() > 1) {
                NodeDef names = scope.node(scope.input(node.getInput(1)).node());
                try {
                    if (names != null && names.getOp().equals("Const")) {
                        restored.put(node.getName(), GraphConstants.strings(names.getAttrOrThrow("value")
                                .getTensor()));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // Undecodable names assign nothing here; the inspector reports the keys it cannot read.
                }
            }
        }
        Map<String, String> keys = new HashMap<>();
        if (restored.isEmpty()) {
            return keys;
        }
        for (NodeDef node : scope.nodes()) {
            if (!(node.getOp().equals("AssignVariableOp") || node.getOp().equals("Assign"))) {
                continue;
            }
            List<String> inputs = scope.dataInputs(node);
            if (inputs.size() < 2) {
                continue;
            }
            GraphScope.Input value = followIdentity(scope, inputs.get(1));
            List<String> names = value == null ? null : restored.get(value.node());
            if (names == null || value.output() >= names.size()) {
                continue;
            }
            GraphScope.Input target = followIdentity(scope, inputs.get(0));
            if (target != null) {
                keys.putIfAbsent(target.node(), names.get(value.output()));
            }
        }
        return keys;
    }

    /** The variable node an input of the graph reads, through identities; null when it is none. */
    private static String variableNode(GraphScope outer, String input) {
        GraphScope.Input source = followIdentity(outer, input);
        NodeDef node = source == null ? null : outer.node(source.node());
        return node != null && isVariable(node) ? node.getName() : null;
    }

    private static GraphScope.Input followIdentity(GraphScope scope, String input) {
        GraphScope.Input current = scope.input(input);
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            NodeDef node = scope.node(current.node());
            if (node == null || !node.getOp().equals("Identity") || node.getInputCount() == 0) {
                return current;
            }
            current = scope.input(node.getInput(0));
        }
        return null;
    }

    private static String sharedName(NodeDef variable) {
        AttrValue shared = variable.getAttrMap().get("shared_name");
        return shared == null || shared.getS().isEmpty() ? null : shared.getS().toStringUtf8();
    }
}
