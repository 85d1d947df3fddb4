package io.prunestream.tensorflow.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The basic block of CIFAR ResNets: conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus a shortcut (the input, or a
 * 1x1 conv - BN where the shape changes), then ReLU.
 */
public record Residual(int filters, int stride) implements Layer {

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        Operand<TFloat32> main = new Conv2D(filters, 3, stride, false).apply(graph, input);
        main = new BatchNorm().apply(graph, main);
        main = graph.tf().nn.relu(main);
        main = new Conv2D(filters, 3, 1, false).apply(graph, main);
        main = new BatchNorm().apply(graph, main);
        Operand<TFloat32> shortcut = input;
        if (stride != 1 || input.shape().get(3) != filters) {
            shortcut = new Conv2D(filters, 1, stride, false).apply(graph, input);
            shortcut = new BatchNorm().apply(graph, shortcut);
        }
        return graph.tf().nn.relu(graph.tf().math.add(main, shortcut));
    }
}
