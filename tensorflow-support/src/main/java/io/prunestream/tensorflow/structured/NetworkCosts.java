package io.prunestream.tensorflow.structured;

import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.util.List;
import org.tensorflow.Graph;

/**
 * Parameters and multiply-adds of a network, layer by layer, as its layers record them while the graph is built:
 * the same count for the full network, a structurally pruned one and (physically unchanged) an unstructured variant.
 */
public final class NetworkCosts {

    private NetworkCosts() {
    }

    public static List<LayerCost> layers(NetworkSpec network) throws TensorFlowException {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph()) {
            return new NetworkGraph(graph, network, 0, null).builder.costs();
        }
    }

    /**
     * Multiply-adds as a function of the channels each group keeps (a ResNet's stages and each block's inner
     * channels, in the order {@link #channelGroupNames} gives); empty for a network without such groups.
     */
    public static ChannelCostModel channelModel(NetworkSpec network) throws TensorFlowException {
        return channels(network).model();
    }

    /** The channel groups' names: {@code stage-1} to {@code stage-3} for the stages, a block's inner conv kernel. */
    public static List<String> channelGroupNames(NetworkSpec network) throws TensorFlowException {
        return channels(network).names();
    }

    /** A network's channel cost model and its groups' names, in the same order. */
    public record Channels(ChannelCostModel model, List<String> names) {
    }

    /** Both {@link #channelModel} and {@link #channelGroupNames}, from one build of the graph. */
    public static Channels channels(NetworkSpec network) throws TensorFlowException {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph()) {
            GraphBuilder builder = new NetworkGraph(graph, network, 0, null).builder;
            return new Channels(builder.channelCosts(), builder.channelGroupNames());
        }
    }

    /** The sum over the layers, named after the architecture. */
    public static LayerCost total(NetworkSpec network) throws TensorFlowException {
        LayerCost total = new LayerCost(network.architecture().label(), 0, 0);
        for (LayerCost layer : layers(network)) {
            total = total.plus(layer);
        }
        return total;
    }
}
