package io.prunestream.tensorflow.graph;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The batch norm that normalises each op's output, in a plain (inlined) graph: the op that produces a batch norm's
 * input (through a bias add or an identity). Layer reconstruction weighs each output channel's error by what that
 * batch norm multiplies it by, {@code gamma / sqrt(variance + epsilon)}: the next layer sees the error after it, and
 * a channel of small weights, whose raw error looks small, comes out of the batch norm as large as the others.
 * Only the batch norms {@link BatchNormFinder} finds are known; an op none follows is absent.
 */
public final class BatchNormAfter {

    /** A batch norm's scale and moving variance (checkpoint keys; no gamma key: a scale of one) and its epsilon. */
    public record Norm(String gammaKey, String varianceKey, double epsilon) {
    }

    /** TensorFlow's FusedBatchNorm default, for a node that leaves the attribute out. */
    static final double FUSED_EPSILON = 1e-4;

    /** This project's primitive batch norm ({@code io.prunestream.tensorflow.model.BatchNorm}). */
    static final double PRIMITIVE_EPSILON = 1e-3;

    private static final int MAX_HOPS = 8;

    private BatchNormAfter() {
    }

    /** By the name of the op whose output it normalises. */
    public static Map<String, Norm> of(GraphDef graph, Map<String, String> checkpointDtypes) {
        GraphScope scope = GraphScope.of(graph);
        Map<String, String> keys = VariableKeys.of(graph, checkpointDtypes);
        Map<String, Norm> norms = new HashMap<>();
        for (BatchNormFinder.Site site : BatchNormFinder.find(graph, checkpointDtypes)) {
            String data;
            Norm norm;
            if (site.form() == BatchNormFinder.Form.FUSED) {
                NodeDef fused = scope.node(site.node());
                AttrValue epsilon = fused.getAttrMap().get("epsilon");
                data = fused.getInput(0);
                norm = new Norm(keys.get(BatchNormFinder.variable(scope, fused.getInput(1))), site.varianceKey(),
                        epsilon == null ? FUSED_EPSILON : epsilon.getF());
            } else {
                NodeDef mean = scope.node(scope.input(site.batchMean()).node());
                if (mean == null || !mean.getOp().equals("Mean")) {
                    continue;
                }
                data = mean.getInput(0);
                String gamma = site.meanKey().substring(0, site.meanKey().length() - "moving_mean".length())
                        + "gamma";
                norm = new Norm(checkpointDtypes.containsKey(gamma) ? gamma : null, site.varianceKey(),
                        PRIMITIVE_EPSILON);
            }
            String producer = producer(scope, data);
            if (producer != null) {
                norms.putIfAbsent(producer, norm);
            }
        }
        return norms;
    }

    /** The op whose output {@code input} is, past identities and a bias (BiasAdd, or Add of a variable). */
    private static String producer(GraphScope scope, String input) {
        String current = input;
        for (int hops = 0; hops < MAX_HOPS; hops++) {
            NodeDef node = scope.node(scope.input(current).node());
            if (node == null) {
                return null;
            }
            switch (node.getOp()) {
                case "Identity", "BiasAdd" -> current = node.getInput(0);
                case "Add", "AddV2" -> {
                    if (BatchNormFinder.variable(scope, node.getInput(1)) != null) {
                        current = node.getInput(0);
                    } else if (BatchNormFinder.variable(scope, node.getInput(0)) != null) {
                        current = node.getInput(1);
                    } else {
                        return null;
                    }
                }
                default -> {
                    return node.getName();
                }
            }
        }
        return null;
    }
}
