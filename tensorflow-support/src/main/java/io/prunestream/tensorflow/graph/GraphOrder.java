package io.prunestream.tensorflow.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The nodes of a graph in an order where every node comes after all it reads (Kahn's algorithm, ties in definition
 * order): a GraphDef may list its nodes in any order, and a reconstruction must visit a layer after those that feed
 * it. Nodes on a cycle (a while loop's back edge) keep their definition order after the rest.
 */
public final class GraphOrder {

    private GraphOrder() {
    }

    /** Each node's position in a topological order, by name. */
    public static Map<String, Integer> of(GraphDef graph) {
        GraphScope scope = GraphScope.of(graph);
        List<NodeDef> nodes = graph.getNodeList();
        Map<String, Integer> definition = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            definition.put(nodes.get(i).getName(), i);
        }
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> readers = new ArrayList<>();
        nodes.forEach(n -> readers.add(new ArrayList<>()));
        for (int i = 0; i < nodes.size(); i++) {
            for (String text : nodes.get(i).getInputList()) {
                Integer from = definition.get(scope.input(text).node());
                if (from != null) {
                    readers.get(from).add(i);
                    waiting[i]++;
                }
            }
        }
        // The first defined of the nodes ready next: a graph listed in a topological order keeps it.
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        Map<String, Integer> order = new HashMap<>();
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order.put(nodes.get(node).getName(), order.size());
            for (int reader : readers.get(node)) {
                if (--waiting[reader] == 0) {
                    ready.add(reader);
                }
            }
        }
        for (NodeDef node : nodes) {
            order.putIfAbsent(node.getName(), order.size());
        }
        return order;
    }
}
