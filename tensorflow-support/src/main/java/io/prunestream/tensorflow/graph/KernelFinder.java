package io.prunestream.tensorflow.graph;

import io.prunestream.tensorflow.KernelView;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Finds the float checkpoint variables that conv and dense ops consume as weights, by following the graph, not the
 * names: from each such op back through reads, identities, casts, transposes and reshapes to a variable. Calls
 * ({@code StatefulPartitionedCall}, {@code PartitionedCall}, or a function called by name) are followed into the
 * library, nested to any depth, with each function argument bound to what the caller passed: so an op inside
 * {@code __inference__wrapped_model_*} that reads argument 3 reads whichever {@code VarHandleOp} the graph passed
 * through every call on the way. The ops seen on the way are kept, to say what a model without kernels is made of.
 */
public final class KernelFinder {

    /** What the search found: the kernels in the order their ops come, and every op type it went through. */
    public record Search(List<PrunableKernel> kernels, Set<String> opsSeen) {
        public Search {
            kernels = List.copyOf(kernels);
            opsSeen = Set.copyOf(new TreeSet<>(opsSeen));
        }
    }

    /** A variable node of the graph and the transforms from it to the tensor being traced, in the order they apply. */
    private record Source(String variable, List<KernelView.Transform> transforms) {

        /** This source followed by more transforms, given as they were met walking back (last one first). */
        Source then(List<KernelView.Transform> metWalkingBack) {
            List<KernelView.Transform> all = new ArrayList<>(transforms);
            for (int i = metWalkingBack.size() - 1; i >= 0; i--) {
                all.add(metWalkingBack.get(i));
            }
            return new Source(variable, all);
        }
    }

    private static final Set<String> PASS_THROUGH = Set.of("Identity", "ReadVariableOp", "Enter", "RefIdentity",
            "Snapshot", "Cast", "StopGradient", "PreventGradient");
    private static final int MAX_HOPS = 64;
    private static final int MAX_DEPTH = 32;

    private final Map<String, FunctionDef> library = new HashMap<>();
    private final Map<String, String> variableKeys;
    private final Map<String, String> checkpointDtypes;
    private final Map<String, PrunableKernel> found = new LinkedHashMap<>();
    private final Set<String> opsSeen = new HashSet<>();
    private final Set<String> visited = new HashSet<>();

    private KernelFinder(GraphDef graph, Map<String, String> checkpointDtypes) {
        graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
        this.checkpointDtypes = checkpointDtypes;
        this.variableKeys = VariableKeys.of(graph, checkpointDtypes);
    }

    /** The kernels of {@code graph}, whose checkpoint holds {@code checkpointDtypes} (key to data type). */
    public static Search find(GraphDef graph, Map<String, String> checkpointDtypes) {
        KernelFinder finder = new KernelFinder(graph, checkpointDtypes);
        finder.visit(GraphScope.of(graph), List.of(), 0);
        return new Search(new ArrayList<>(finder.found.values()), finder.opsSeen);
    }

    private void visit(GraphScope scope, List<Source> bindings, int depth) {
        if (depth > MAX_DEPTH || !visited.add(scope.function() + "|" + bindings)) {
            return;
        }
        for (NodeDef node : scope.nodes()) {
            opsSeen.add(node.getOp());
            List<String> inputs = scope.dataInputs(node);
            for (KernelReads.Read read : KernelReads.of(node)) {
                if (read.input() < inputs.size()) {
                    Source source = trace(scope, bindings, inputs.get(read.input()));
                    String key = source == null ? null : variableKeys.get(source.variable());
                    if (key != null && TensorSpec.FLOAT.equals(checkpointDtypes.get(key))) {
                        found.putIfAbsent(key, new PrunableKernel(key, read.kind(), scope.path(node), node.getOp(),
                                new KernelView(source.transforms(), read.outputAxes())));
                    }
                }
            }
            FunctionDef callee = library.get(FunctionCalls.callee(node));
            if (callee != null) {
                List<Source> arguments = new ArrayList<>();
                for (String input : inputs) {
                    arguments.add(trace(scope, bindings, input));
                }
                visit(GraphScope.of(callee), arguments, depth + 1);
            }
        }
    }

    /** The variable a tensor of {@code scope} is read from, with the transforms on the way; null if none. */
    private Source trace(GraphScope scope, List<Source> bindings, String input) {
        List<KernelView.Transform> reversed = new ArrayList<>();
        GraphScope.Input current = scope.input(input);
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            int argument = scope.function() == null ? -1 : scope.argument(current.node());
            if (argument >= 0) {
                Source bound = argument < bindings.size() ? bindings.get(argument) : null;
                return bound == null ? null : bound.then(reversed);
            }
            NodeDef node = scope.node(current.node());
            if (node == null) {
                return null;
            }
            if (VariableKeys.isVariable(node)) {
                return scope.function() == null ? new Source(node.getName(), List.of()).then(reversed) : null;
            }
            List<String> inputs = scope.dataInputs(node);
            if (PASS_THROUGH.contains(node.getOp()) && !inputs.isEmpty()) {
                current = scope.input(inputs.get(0));
            } else if (node.getOp().equals("IdentityN") && current.output() < inputs.size()) {
                current = scope.input(inputs.get(current.output()));
            } else if ((node.getOp().equals("Transpose") || node.getOp().equals("Reshape")) && inputs.size() == 2) {
                long[] values = GraphConstants.integers(scope.node(scope.input(inputs.get(1)).node()));
                if (values == null) {
                    return null;
                }
                List<Long> list = new ArrayList<>();
                for (long v : values) {
                    list.add(v);
                }
                reversed.add(node.getOp().equals("Transpose")
                        ? new KernelView.Transpose(list.stream().map(Long::intValue).toList())
                        : new KernelView.Reshape(list));
                current = scope.input(inputs.get(0));
            } else {
                return null;
            }
        }
        return null;
    }
}
