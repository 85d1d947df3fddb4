package io.prunestream.tensorflow.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** A graph listed out of order, and one in order, against orders worked out here by hand. */
class GraphOrderTest {

    @Test
    void aLayerListedBeforeTheOneThatFeedsItComesAfterIt() {
        // x -> conv1 -> relu -> conv2, listed conv2, relu, conv1, x; conv1 reads x and a control input on init.
        GraphDef graph = GraphDef.newBuilder()
                .addNode(node("conv2", "relu:0", "w2"))
                .addNode(node("relu", "conv1"))
                .addNode(node("w2"))
                .addNode(node("conv1", "x", "w1", "^init"))
                .addNode(node("init"))
                .addNode(node("w1"))
                .addNode(node("x"))
                .build();

        Map<String, Integer> order = GraphOrder.of(graph);

        assertThat(order.get("x")).isLessThan(order.get("conv1"));
        assertThat(order.get("init")).isLessThan(order.get("conv1"));
        assertThat(order.get("conv1")).isLessThan(order.get("relu"));
        assertThat(order.get("relu")).isLessThan(order.get("conv2"));
        assertThat(order).hasSize(7);
    }

    @Test
    void aGraphListedInOrderKeepsIt() {
        GraphDef graph = GraphDef.newBuilder().addNode(node("x")).addNode(node("a", "x")).addNode(node("b", "x"))
                .addNode(node("c", "a", "b")).build();

        assertThat(GraphOrder.of(graph)).containsExactlyInAnyOrderEntriesOf(Map.of("x", 0, "a", 1, "b", 2, "c", 3));
    }

    @Test
    void aLoopsBackEdgeLeavesItsNodesAfterTheRest() {
        GraphDef graph = GraphDef.newBuilder().addNode(node("merge", "enter", "next")).addNode(node("next", "merge"))
                .addNode(node("enter")).build();

        assertThat(GraphOrder.of(graph)).containsExactlyInAnyOrderEntriesOf(Map.of("enter", 0, "merge", 1,
                "next", 2));
    }

    private static NodeDef node(String name, String... inputs) {
        NodeDef.Builder node = NodeDef.newBuilder().setName(name).setOp("Identity");
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }
}
