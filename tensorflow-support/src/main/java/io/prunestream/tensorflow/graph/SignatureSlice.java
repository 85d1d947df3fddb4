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
 * The part of a graph that some nodes need: them and everything they read, data and control inputs, to any depth.
 * An inlined SavedModel with several signatures over one function (Keras 3's {@code model.export}: {@code serve} and
 * {@code serving_default}) holds a copy of the function's body per signature, each fed by its own placeholder; cut to
 * one signature's outputs (and the saver's restore), it holds one copy, so that every tensor found in it is computed
 * from the input that is fed.
 */
public final class SignatureSlice {

    private SignatureSlice() {
    }

    /** {@code graph} cut to {@code roots} (node names, or tensor names such as {@code call:0}) and their inputs. */
    public static GraphDef of(GraphDef graph, Collection<String> roots) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Set<String> kept = new HashSet<>();
        Deque<String> next = new ArrayDeque<>();
        roots.forEach(r -> next.add(node(r)));
        while (!next.isEmpty()) {
            String name = next.pop();
            NodeDef node = byName.get(name);
            if (node == null || !kept.add(name)) {
                continue;
            }
            node.getInputList().forEach(input -> next.add(node(input)));
        }
        GraphDef.Builder sliced = graph.toBuilder().clearNode();
        graph.getNodeList().stream().filter(n -> kept.contains(n.getName())).forEach(sliced::addNode);
        return sliced.build();
    }

    /** The node of an input or tensor name: {@code ^node}, {@code node:1} and {@code node} all name {@code node}. */
    private static String node(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
