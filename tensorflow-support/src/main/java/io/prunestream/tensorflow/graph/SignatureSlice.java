package io.prunestream.tensorflow.graph;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * A graph without the nodes only other signatures need. An inlined SavedModel with several signatures over one
 * function (Keras 3's {@code model.export}: {@code serve} and {@code serving_default}) holds a copy of the function's
 * body per signature, each fed by its own placeholder; with the other copies dropped, every tensor found in the graph
 * is computed from the input that is fed. Everything else stays, the ops no output reads included (a trainer's
 * moving-average updates, which batch-norm calibration finds its statistics by).
 */
public final class SignatureSlice {

    private SignatureSlice() {
    }

    /**
     * {@code graph} without the nodes that {@code others} (node or tensor names: other signatures' inputs and outputs)
     * read and {@code kept} (this signature's, the saver's) do not.
     */
    public static GraphDef of(GraphDef graph, Collection<String> kept, Collection<String> others) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Set<String> dropped = reachable(byName, others);
        dropped.removeAll(reachable(byName, kept));
        if (dropped.isEmpty()) {
            return graph;
        }
        GraphDef.Builder sliced = graph.toBuilder().clearNode();
        graph.getNodeList().stream().filter(n -> !dropped.contains(n.getName())).forEach(sliced::addNode);
        return sliced.build();
    }

    /** {@code roots} and everything they read, data and control inputs, to any depth. */
    private static Set<String> reachable(Map<String, NodeDef> byName, Collection<String> roots) {
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>();
        roots.forEach(r -> next.add(node(r)));
        while (!next.isEmpty()) {
            String name = next.pop();
            NodeDef node = byName.get(name);
            if (node == null || !seen.add(name)) {
                continue;
            }
            node.getInputList().forEach(input -> next.add(node(input)));
        }
        return seen;
    }

    /** The node of an input or tensor name: {@code ^node}, {@code node:1} and {@code node} all name {@code node}. */
    private static String node(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
