package io.prunestream.tensorflow.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The batch norms of a plain (inlined) graph whose statistics live in checkpoint variables, in the two forms this
 * project recalibrates:
 * <ul>
 * <li>{@code FusedBatchNorm}, {@code V2} and {@code V3} in inference mode (Keras' BatchNormalization, TF's
 * {@code tf.nn.fused_batch_norm}), its mean and variance inputs read from variables: switched to training mode, it
 * returns the batch's statistics as its outputs 1 and 2;</li>
 * <li>batch norm built from primitive ops with a {@code training} switch (this project's trainer): the moving
 * statistics' update assigns each variable a value built from {@code StopGradient(batch statistic)}, and feeding
 * {@code training = 1} makes the network use the batch statistics.</li>
 * </ul>
 * Any other batch norm (statistics folded into constants, a form not listed) is not found, and so not recalibrated.
 */
public final class BatchNormFinder {

    /** How a batch norm's batch statistics are had. */
    public enum Form { FUSED, PRIMITIVE }

    /**
     * One batch norm: the checkpoint keys of its moving mean and variance, and the tensors that hold its batch
     * statistics when it runs on a batch: for {@link Form#FUSED} the fused node ({@code node:1}, {@code node:2} once
     * in training mode) and its input; for {@link Form#PRIMITIVE} the batch mean and variance.
     */
    public record Site(Form form, String meanKey, String varianceKey, String node, String batchMean,
            String batchVariance) {
    }

    /** The switch primitive batch norms read: 1 while training. */
    public static final String TRAINING_SWITCH = "training";

    private static final int MAX_HOPS = 16;
    private static final int MAX_SEARCH = 12;

    private BatchNormFinder() {
    }

    /** The batch norms of {@code graph} (plain: functions inlined), in graph order. */
    public static List<Site> find(GraphDef graph, Map<String, String> checkpointDtypes) {
        GraphScope scope = GraphScope.of(graph);
        Map<String, String> keys = VariableKeys.of(graph, checkpointDtypes);
        List<Site> sites = new ArrayList<>();
        for (NodeDef node : graph.getNodeList()) {
            if (node.getOp().startsWith("FusedBatchNorm") && !training(node) && node.getInputCount() >= 5) {
                String mean = keys.get(variable(scope, node.getInput(3)));
                String variance = keys.get(variable(scope, node.getInput(4)));
                if (mean != null && variance != null) {
                    sites.add(new Site(Form.FUSED, mean, variance, node.getName(), node.getName() + ":1",
                            node.getName() + ":2"));
                }
            }
        }
        sites.addAll(primitive(scope, graph, keys));
        return sites;
    }

    private static boolean training(NodeDef fused) {
        AttrValue attr = fused.getAttrMap().get("is_training");
        // The attribute defaults to true: an exporter that strips defaults leaves it out only for training graphs.
        return attr == null || attr.getB();
    }

    /** Primitive batch norms, paired by their keys: {@code .../moving_mean} with {@code .../moving_variance}. */
    private static List<Site> primitive(GraphScope scope, GraphDef graph, Map<String, String> keys) {
        if (scope.node(TRAINING_SWITCH) == null) {
            return List.of();
        }
        Map<String, String> batchStatistic = new LinkedHashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            if (!(node.getOp().equals("Assign") || node.getOp().equals("AssignVariableOp"))
                    || node.getInputCount() < 2) {
                continue;
            }
            String key = keys.get(variable(scope, node.getInput(0)));
            if (key == null || !(key.endsWith("moving_mean") || key.endsWith("moving_variance"))) {
                continue;
            }
            String statistic = stopGradientInput(scope, node.getInput(1), 0);
            if (statistic != null) {
                batchStatistic.putIfAbsent(key, statistic);
            }
        }
        List<Site> sites = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> entry : batchStatistic.entrySet()) {
            String key = entry.getKey();
            if (key.endsWith("moving_mean")) {
                String varianceKey = key.substring(0, key.length() - "moving_mean".length()) + "moving_variance";
                String variance = batchStatistic.get(varianceKey);
                if (variance != null && seen.put(key, varianceKey) == null) {
                    sites.add(new Site(Form.PRIMITIVE, key, varianceKey, scope.input(entry.getValue()).node(),
                            entry.getValue(), variance));
                }
            }
        }
        return sites;
    }

    /** The input of the {@code StopGradient} that a moving-average update is built from, searched a few ops deep. */
    private static String stopGradientInput(GraphScope scope, String input, int depth) {
        NodeDef node = scope.node(scope.input(input).node());
        if (node == null || depth > MAX_SEARCH) {
            return null;
        }
        if (node.getOp().equals("StopGradient")) {
            return node.getInput(0);
        }
        for (String inner : scope.dataInputs(node)) {
            String found = stopGradientInput(scope, inner, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The variable node a graph input reads, through reads and identities; null when it reads none. */
    static String variable(GraphScope scope, String input) {
        GraphScope.Input current = scope.input(input);
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            NodeDef node = scope.node(current.node());
            if (node == null) {
                return null;
            }
            if (VariableKeys.isVariable(node)) {
                return node.getName();
            }
            if (!(node.getOp().equals("ReadVariableOp") || node.getOp().equals("Identity")
                    || node.getOp().equals("Snapshot")) || node.getInputCount() == 0) {
                return null;
            }
            current = scope.input(node.getInput(0));
        }
        return null;
    }
}
