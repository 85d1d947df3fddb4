package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.ChannelCostModel;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The networks the trainer builds, composed from the layer vocabulary. */
public final class Architectures {

    private Architectures() {
    }

    /**
     * conv5x5x32 - ReLU - maxpool - conv5x5x64 - ReLU - maxpool - dense 256 - ReLU - classifier.
     *
     * @param cosine a {@link CosineClassifier} (hyperspherical learning) instead of a dense layer with bias
     */
    public static Layer smallCnn(int classes, boolean cosine) {
        return Activations.sequence(List.of(
                new Conv2D(32, 5, 1, true), Activations.relu(), Activations.maxPool(2, 2),
                new Conv2D(64, 5, 1, true), Activations.relu(), Activations.maxPool(2, 2),
                Activations.flatten(),
                new Dense(256, true), Activations.relu(),
                classifier(classes, cosine)));
    }

    /**
     * The CIFAR ResNet: conv3x3 (width) - BN - ReLU, three stages of {@code blocks} basic blocks with width, 2 x width
     * and 4 x width filters (the first block of stages 2 and 3 halves the resolution), global average pooling and the
     * classifier. {@code blocks} = 3 is ResNet-20.
     */
    public static Layer resnet(int blocks, int width, int classes, boolean cosine) {
        return resnet(blocks, width, classes, cosine, List.of(), List.of());
    }

    /**
     * The CIFAR ResNet with the inner conv of each block {@code inner.get(block)} filters wide (blocks counted
     * across stages, 3 x {@code blocks} of them) and stage {@code s} {@code stages.get(s)} wide: a network after
     * structured pruning. Empty lists: the full widths.
     */
    public static Layer resnet(int blocks, int width, int classes, boolean cosine, List<Integer> inner,
            List<Integer> stages) {
        if (!inner.isEmpty() && inner.size() != 3 * blocks) {
            throw new IllegalArgumentException("inner widths " + inner + ": a ResNet with " + blocks
                    + " blocks per stage needs " + 3 * blocks);
        }
        if (!stages.isEmpty() && stages.size() != 3) {
            throw new IllegalArgumentException("stage widths " + stages + ": a ResNet has 3 stages");
        }
        List<Layer> layers = new ArrayList<>();
        int stem = stages.isEmpty() ? width : stages.get(0);
        layers.add(channelTerm(new Conv2D(stem, 3, 1, false), false, Residual.stageGroup(0)));
        layers.add(groupedBatchNorm());
        layers.add(Activations.relu());
        for (int stage = 0; stage < 3; stage++) {
            int filters = stages.isEmpty() ? Residual.fullWidth(width, stage) : stages.get(stage);
            for (int block = 0; block < blocks; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                int innerWidth = inner.isEmpty() ? Residual.fullWidth(width, stage)
                        : inner.get(stage * blocks + block);
                layers.add(new Residual(filters, stride, innerWidth, stage));
            }
        }
        layers.add(Activations.globalAveragePool());
        layers.add(channelTerm(classifier(classes, cosine), true, null));
        return Activations.sequence(layers);
    }

    /**
     * Batch norm whose vectors belong to its input's channel group (removed with its channels), its output gated
     * where gates are on: the stem's channels are the first stage's, and a closed gate must silence all of them.
     */
    private static Layer groupedBatchNorm() {
        return (graph, input) -> {
            int group = graph.channels().groupOf(input);
            return graph.gates().gate(group, new BatchNorm().apply(graph, input, group));
        };
    }

    /**
     * {@code layer}, recorded in the channel cost model: its input channels are the current group's ({@code fromGroup})
     * or fixed, its output channels those of group {@code toGroup} (which the output then holds) or fixed (null).
     */
    private static Layer channelTerm(Layer layer, boolean fromGroup, String toGroup) {
        return (graph, input) -> {
            Operand<TFloat32> output = layer.apply(graph, input);
            long in = input.shape().get(input.shape().numDimensions() - 1);
            long out = output.shape().get(output.shape().numDimensions() - 1);
            int inGroup = fromGroup ? graph.channels().groupOf(input) : ChannelCostModel.FIXED;
            int outGroup = toGroup == null ? ChannelCostModel.FIXED : graph.channels().group(toGroup, out);
            List<Kernel> kernels = graph.kernels();
            graph.channels().addTerm(kernels.get(kernels.size() - 1).name(), inGroup, in, outGroup, out);
            return graph.channels().holds(output, outGroup);
        };
    }

    private static Layer classifier(int classes, boolean cosine) {
        return cosine ? new CosineClassifier(classes, 10f) : new Dense(classes, true);
    }
}
