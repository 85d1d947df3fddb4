package io.prunestream.tensorflow.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The basic block of CIFAR ResNets: conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus a shortcut (the input, or a
 * 1x1 conv - BN where the shape changes), then ReLU. The inner conv's filters ({@code inner}, {@code filters} in the
 * unpruned network) feed only the second conv, so they can be removed; it registers them as a {@link FilterGroup}.
 * It also records its convs in the channel cost model (inner channels one group, the stage's channels another) and
 * gates both where gates are on ({@link GraphBuilder#gate}): after the inner ReLU, and on the batch-norm outputs
 * before the add (the main branch's and a projection shortcut's). Every kernel and batch-norm vector says which of
 * its axes hold which group's channels ({@link GraphBuilder#channelAxes()}), so that structured pruning can remove
 * either kind.
 *
 * @param stage the stage (0-based) whose channels the block's output shares with the stem or the earlier blocks
 */
public record Residual(int filters, int stride, int inner, int stage) implements Layer {

    public Residual {
        if (inner < 1 || filters < 1) {
            throw new IllegalArgumentException("residual block: widths " + inner + " and " + filters
                    + " must be positive");
        }
    }

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        long channels = input.shape().get(3);
        int inGroup = graph.channels().groupOf(input);
        // A stage's channels meet in every add, so they are kept or removed together: one group per stage width.
        int stageGroup = graph.channels().group(stageGroup(stage), filters);
        int first = graph.variableCount();
        Operand<TFloat32> main = new Conv2D(inner, 3, stride, false).apply(graph, input);
        String innerKernel = lastKernel(graph);
        int innerGroup = graph.channels().group(innerKernel, inner);
        graph.channels().addTerm(innerKernel, inGroup, channels, innerGroup, inner);
        main = new BatchNorm().apply(graph, main, innerGroup);
        List<String> producers = graph.variableNames(first);
        main = graph.gates().gate(innerGroup, graph.tf().nn.relu(main));
        main = new Conv2D(filters, 3, 1, false).apply(graph, main);
        graph.addFilterGroup(new FilterGroup(producers, lastKernel(graph), inner));
        graph.channels().addTerm(lastKernel(graph), innerGroup, inner, stageGroup, filters);
        main = graph.gates().gate(stageGroup, new BatchNorm().apply(graph, main, stageGroup));
        Operand<TFloat32> shortcut = input;
        if (stride != 1 || channels != filters) {
            shortcut = new Conv2D(filters, 1, stride, false).apply(graph, input);
            graph.channels().addTerm(lastKernel(graph), inGroup, channels, stageGroup, filters);
            // Gated too: a stage's gate must scale every term of its channels, so that a closed gate is a removed
            // channel (the stem is gated likewise, and identity shortcuts carry gated channels on).
            shortcut = graph.gates().gate(stageGroup, new BatchNorm().apply(graph, shortcut, stageGroup));
        }
        return graph.channels().holds(graph.tf().nn.relu(graph.tf().math.add(main, shortcut)), stageGroup);
    }

    /** The filters of stage {@code stage} (0-based) of a full ResNet of width {@code width}: width, 2x, 4x. */
    public static int fullWidth(int width, int stage) {
        return width << stage;
    }

    /**
     * The name of the channel group of stage {@code stage} (0-based), {@code stage-1} to {@code stage-3}; the stem's
     * output is the first stage's.
     */
    public static String stageGroup(int stage) {
        return "stage-" + (stage + 1);
    }


    private static String lastKernel(GraphBuilder graph) {
        List<Kernel> kernels = graph.kernels();
        return kernels.get(kernels.size() - 1).name();
    }
}
