package io.prunestream.tensorflow.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The basic block of CIFAR ResNets: conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus a shortcut (the input, or a
 * 1x1 conv - BN where the shape changes), then ReLU. The inner conv's filters ({@code inner}, {@code filters} in the
 * unpruned network) feed only the second conv, so they can be removed; it registers them as a {@link FilterGroup}.
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
        int first = graph.variableCount();
        Operand<TFloat32> main = new Conv2D(inner, 3, stride, false).apply(graph, input);
        main = new BatchNorm().apply(graph, main);
        List<String> producers = graph.variableNames(first);
        main = graph.tf().nn.relu(main);
        main = new Conv2D(filters, 3, 1, false).apply(graph, main);
        List<Kernel> kernels = graph.kernels();
        graph.addFilterGroup(new FilterGroup(producers, kernels.get(kernels.size() - 1).name(), inner));
        main = new BatchNorm().apply(graph, main);
        Operand<TFloat32> shortcut = input;
        if (stride != 1 || input.shape().get(3) != filters) {
            shortcut = new Conv2D(filters, 1, stride, false).apply(graph, input);
            shortcut = new BatchNorm().apply(graph, shortcut);
        }
        return graph.tf().nn.relu(graph.tf().math.add(main, shortcut));
    }
}
