package io.prunestream.tensorflow.structured;

import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.ChannelGroups;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.model.Kernel;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;

/**
 * What the structured methods need to know of a network, read from one build of its graph: its removable filter
 * groups (a residual block's inner conv), its prunable kernels and variables with their shapes, its channel groups
 * (names, sizes and the multiply-adds as a function of what each keeps), which axes of which variables hold each
 * group's channels, and its parameters and multiply-adds layer by layer. Built once per checkpoint and passed along.
 *
 * @param channelGroups the channel groups' names, in the order of {@code channelCosts}: {@code stage-1} to
 *     {@code stage-3} for a ResNet's stages, a block's inner conv kernel for its inner channels
 */
public record NetworkStructure(NetworkSpec network, List<FilterGroup> filterGroups, List<String> kernels,
        Map<String, long[]> shapes, List<String> channelGroups, ChannelCostModel channelCosts,
        List<ChannelGroups.ChannelAxis> axes, List<LayerCost> layers) {

    public NetworkStructure {
        filterGroups = List.copyOf(filterGroups);
        kernels = List.copyOf(kernels);
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        channelGroups = List.copyOf(channelGroups);
        axes = List.copyOf(axes);
        layers = List.copyOf(layers);
    }

    /** Builds {@code network}'s graph once and reads its structure from it. */
    public static NetworkStructure of(NetworkSpec network) throws TensorFlowException {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph()) {
            NetworkGraph built = new NetworkGraph(graph, network, 0, null);
            GraphBuilder builder = built.builder;
            Map<String, long[]> shapes = new LinkedHashMap<>();
            built.variables.forEach(name -> shapes.put(name, builder.shapeOf(name)));
            ChannelGroups channels = builder.channels();
            return new NetworkStructure(network, builder.filterGroups(), builder.kernels().stream().map(Kernel::name)
                    .toList(), shapes, channels.names(), channels.costs(), channels.axes(), builder.costs());
        }
    }

    /** The sum over the layers, named after the architecture. */
    public LayerCost total() {
        LayerCost total = new LayerCost(network.architecture().label(), 0, 0);
        for (LayerCost layer : layers) {
            total = total.plus(layer);
        }
        return total;
    }

    /** The channels of each channel group, in {@link #channelGroups} order. */
    public List<Integer> channelSizes() {
        return channelCosts.groups();
    }

    /** The channel group a removable filter group's filters are: the one named after its conv's kernel. */
    public int channelGroupOf(FilterGroup group) {
        int c = channelGroups.indexOf(group.producers().get(0));
        if (c < 0) {
            throw new IllegalStateException("removable group " + group.producers().get(0) + " is no channel group of "
                    + network.architecture().label());
        }
        return c;
    }

    /**
     * Refuses a checkpoint that is not this network: every variable the network builds must be there, a float
     * tensor of the same shape. Removal would fail later otherwise, after other work was done.
     */
    public void requireMatches(ModelWeights source) throws TensorFlowException {
        String label = network.architecture().label();
        for (Map.Entry<String, long[]> variable : shapes.entrySet()) {
            WeightTensor tensor;
            try {
                tensor = source.get(variable.getKey());
            } catch (TensorFlowException e) {
                throw new TensorFlowException("the checkpoint at " + source.directory() + " is not the " + label
                        + " it names: it has no variable " + variable.getKey(), e);
            }
            long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
            if (!tensor.isFloat() || !Arrays.equals(shape, variable.getValue())) {
                throw new TensorFlowException("the checkpoint at " + source.directory() + " is not the " + label
                        + " it names: variable " + variable.getKey() + " is " + tensor.spec().dtype() + " "
                        + tensor.spec().shape() + ", the network's is DT_FLOAT "
                        + Arrays.toString(variable.getValue()));
            }
        }
    }

    /**
     * The multiply-adds of {@code share} of the full network's: the one place a multiply-add target is checked.
     *
     * @throws IllegalArgumentException if the share is outside (0, 1), the network has no channel groups, or even
     *     one channel per group costs more (naming both numbers)
     */
    public long multiplyAddTarget(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("multiply-add target " + share + " is outside (0, 1): it is a share"
                    + " of the full network's");
        }
        if (channelCosts.groups().isEmpty()) {
            throw new IllegalArgumentException("the network has no channel groups to gate; gates need a ResNet");
        }
        long full = channelCosts.multiplyAdds();
        long target = Math.round(share * full);
        long least = channelCosts.leastMultiplyAdds();
        if (least > target) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "multiply-add target %s (%d of %d) is"
                    + " unreachable: one channel per layer already costs %d (%.4f of the full network)", share, target,
                    full, least, (double) least / full));
        }
        return target;
    }

    @Override
    public String toString() {
        return "NetworkStructure[" + network.architecture().label() + ", " + channelGroups.size() + " channel groups]";
    }
}
