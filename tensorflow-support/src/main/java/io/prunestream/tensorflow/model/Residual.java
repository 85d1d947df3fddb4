package io.prunestream.tensorflow.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The basic block of CIFAR ResNets: conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus a shortcut (the input, or a
 * 1x1 conv - BN where the shape changes), then ReLU. The inner conv's filters ({@code inner}, {@code filters} in the
 * unpruned network) feed only the second conv, so they can be removed; it registers them as a {@link FilterGroup}.
 * It also records its convs in the channel cost model (inner channels one group, the stage's channels another) and
 * gates both where gates are on ({@link GraphBuilder#gate}): after the inner ReLU, and on the batch-norm output
 * before the add.
 */
public record Residual(int filters, int stride, int inner) implements Layer {

    public Residual {
        if (inner < 1 || inner > filters) {
            throw new IllegalArgumentException("residual block: inner width " + inner + " is outside 1.." + filters);
        }
    }

    public Residual(int filters, int stride) {
        this(filters, stride, filters);
    }

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        long channels = input.shape().get(3);
        int inGroup = graph.currentChannelGroup();
        // A stage's channels meet in every add, so they are kept or removed together: one group per stage width.
        int stage = graph.channelGroup(stageGroup(filters), filters);
        int first = graph.variableCount();
        Operand<TFloat32> main = new Conv2D(inner, 3, stride, false).apply(graph, input);
        String innerKernel = lastKernel(graph);
        int innerGroup = graph.channelGroup(innerKernel, inner);
        graph.addChannelTerm(innerKernel, inGroup, channels, innerGroup, inner);
        main = new BatchNorm().apply(graph, main);
        List<String> producers = graph.variableNames(first);
        main = graph.gate(innerGroup, graph.tf().nn.relu(main));
        main = new Conv2D(filters, 3, 1, false).apply(graph, main);
        graph.addFilterGroup(new FilterGroup(producers, lastKernel(graph), inner));
        graph.addChannelTerm(lastKernel(graph), innerGroup, inner, stage, filters);
        main = graph.gate(stage, new BatchNorm().apply(graph, main));
        Operand<TFloat32> shortcut = input;
        if (stride != 1 || channels != filters) {
            shortcut = new Conv2D(filters, 1, stride, false).apply(graph, input);
            graph.addChannelTerm(lastKernel(graph), inGroup, channels, stage, filters);
            shortcut = new BatchNorm().apply(graph, shortcut);
        }
        graph.currentChannelGroup(stage);
        return graph.tf().nn.relu(graph.tf().math.add(main, shortcut));
    }

    /** The name of the channel group of a stage {@code filters} wide (the stem's output is the first stage's). */
    static String stageGroup(int filters) {
        return "stage-" + filters;
    }

    private static String lastKernel(GraphBuilder graph) {
        List<Kernel> kernels = graph.kernels();
        return kernels.get(kernels.size() - 1).name();
    }
}
