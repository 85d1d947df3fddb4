package io.prunestream.tensorflow.structured;

import io.prunestream.pruning.structured.ChannelSlice;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.model.Kernel;
import io.prunestream.tensorflow.model.Residual;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.tensorflow.Graph;

/**
 * Removes whole filters from a checkpoint of a known network: the kept channels of every channel group the network
 * records ({@link GraphBuilder#channelAxes()}): a residual block's inner conv (its filters, its batch norm and the next
 * conv's input channels; {@link #slice}) and, for AutoBot, a stage's channels too (the stem's, every block's second
 * conv and shortcut and their batch norms, the next convs' inputs and the classifier's rows; {@link #sliceChannels}).
 * The network is then rebuilt with those widths and the sliced weights, and exported as a smaller SavedModel.
 */
public final class FilterRemoval {

    private FilterRemoval() {
    }

    /** The removable groups of {@code network}, one per residual block, in block order. */
    public static List<FilterGroup> groups(NetworkSpec network) throws TensorFlowException {
        return layout(network).groups();
    }

    /**
     * Refuses a checkpoint that is not the network it claims to be: every variable the network builds must be
     * there, a float tensor of the same shape. Removal would fail later otherwise, after other work was done.
     *
     * @return the network's removable groups, as {@link #groups} gives them
     */
    public static List<FilterGroup> requireMatches(ModelWeights source, NetworkSpec network)
            throws TensorFlowException {
        Layout layout = layout(network);
        for (Map.Entry<String, long[]> variable : layout.shapes().entrySet()) {
            WeightTensor tensor;
            try {
                tensor = source.get(variable.getKey());
            } catch (TensorFlowException e) {
                throw new TensorFlowException("the checkpoint at " + source.directory() + " is not the "
                        + network.architecture().label() + " it names: it has no variable " + variable.getKey(), e);
            }
            long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
            if (!tensor.isFloat() || !Arrays.equals(shape, variable.getValue())) {
                throw new TensorFlowException("the checkpoint at " + source.directory() + " is not the "
                        + network.architecture().label() + " it names: variable " + variable.getKey() + " is "
                        + tensor.spec().dtype() + " " + tensor.spec().shape() + ", the network's is DT_FLOAT "
                        + Arrays.toString(variable.getValue()));
            }
        }
        return layout.groups();
    }

    /**
     * What removal needs to know of a network's graph: its removable groups, prunable kernels, variables, channel
     * groups (names and sizes, in the channel model's order) and which axes of which variables hold them.
     */
    private record Layout(List<FilterGroup> groups, List<String> kernels, Map<String, long[]> shapes,
            List<String> channelGroups, List<Integer> channelSizes, List<GraphBuilder.ChannelAxis> axes) {
    }

    private static Layout layout(NetworkSpec network) throws TensorFlowException {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph()) {
            NetworkGraph built = new NetworkGraph(graph, network, 0, null);
            GraphBuilder builder = built.builder;
            Map<String, long[]> shapes = new LinkedHashMap<>();
            built.variables.forEach(name -> shapes.put(name, builder.shapeOf(name)));
            return new Layout(builder.filterGroups(), builder.kernels().stream().map(Kernel::name).toList(), shapes,
                    builder.channelGroupNames(), builder.channelCosts().groups(), builder.channelAxes());
        }
    }

    /** A network with filters removed, and its weights, ready to export or to train further. */
    public record Smaller(NetworkSpec network, Map<String, float[]> weights, long keptKernelWeights,
            long denseKernelWeights) {

        /** The share of the prunable kernels' weights that removal took away. */
        public double removedShare() {
            return 1 - (double) keptKernelWeights / denseKernelWeights;
        }
    }

    /**
     * Writes into {@code target} the network of {@code source} with only the {@code kept} filters of each group.
     *
     * @param kept per group, increasing filter indices (at least one)
     * @return the smaller network
     */
    public static Smaller remove(ModelWeights source, NetworkSpec network, List<int[]> kept, Path target)
            throws TensorFlowException {
        Smaller smaller = slice(source, network, kept);
        NetworkGraph.export(smaller.network(), smaller.weights(), target);
        return smaller;
    }

    /**
     * The network of {@code source} with only the {@code kept} filters of each removable group (a block's inner
     * conv), not yet written; the stages keep every channel.
     */
    public static Smaller slice(ModelWeights source, NetworkSpec network, List<int[]> kept)
            throws TensorFlowException {
        Layout layout = layout(network);
        List<FilterGroup> groups = layout.groups();
        if (kept.size() != groups.size()) {
            throw new IllegalArgumentException("kept filters for " + kept.size() + " groups, but "
                    + network.architecture().label() + " has " + groups.size());
        }
        List<int[]> channels = new ArrayList<>();
        for (int c = 0; c < layout.channelGroups().size(); c++) {
            channels.add(IntStream.range(0, layout.channelSizes().get(c)).toArray());
        }
        for (int g = 0; g < groups.size(); g++) {
            // A block's inner channel group is named after its conv's kernel, the first of the group's producers.
            int c = layout.channelGroups().indexOf(groups.get(g).producers().get(0));
            if (c < 0) {
                throw new IllegalStateException("removable group " + groups.get(g).producers().get(0)
                        + " is no channel group of " + network.architecture().label());
            }
            channels.set(c, kept.get(g));
        }
        return sliceChannels(source, network, layout, channels);
    }

    /**
     * The network of {@code source} with only the {@code kept} channels of each channel group, stages included (in
     * the order of {@link NetworkCosts#channelGroupNames}): every kernel and batch-norm vector that holds a group's
     * channels loses the others, and the network is rebuilt at the new widths. What AutoBot removes.
     *
     * @param kept per channel group, increasing channel indices (at least one)
     */
    public static Smaller sliceChannels(ModelWeights source, NetworkSpec network, List<int[]> kept)
            throws TensorFlowException {
        return sliceChannels(source, network, layout(network), kept);
    }

    private static Smaller sliceChannels(ModelWeights source, NetworkSpec network, Layout layout, List<int[]> kept)
            throws TensorFlowException {
        List<String> names = layout.channelGroups();
        if (kept.size() != names.size()) {
            throw new IllegalArgumentException("kept channels for " + kept.size() + " groups, but "
                    + network.architecture().label() + " has " + names.size() + " channel groups");
        }
        for (int c = 0; c < names.size(); c++) {
            FilterRanking.requireValid(names.get(c), kept.get(c), layout.channelSizes().get(c));
        }
        Map<String, float[]> weights = new HashMap<>(source.floatValues());
        Map<String, long[]> shapes = new HashMap<>();
        for (WeightTensor tensor : source.tensors()) {
            shapes.put(tensor.key(), tensor.spec().shape().stream().mapToLong(Long::longValue).toArray());
        }
        long dense = kernelWeights(network, layout, shapes);
        for (GraphBuilder.ChannelAxis axis : layout.axes()) {
            int[] keep = kept.get(axis.group());
            if (keep.length < layout.channelSizes().get(axis.group())) {
                slice(weights, shapes, axis.variable(), axis.axis(), keep);
            }
        }
        List<Integer> stages = new ArrayList<>();
        boolean full = true;
        for (int s = 0; s < 3 && !layout.groups().isEmpty(); s++) {
            int c = names.indexOf(Residual.stageGroup(s));
            stages.add(kept.get(c).length);
            full &= kept.get(c).length == layout.channelSizes().get(c);
        }
        List<Integer> inner = new ArrayList<>();
        for (FilterGroup group : layout.groups()) {
            inner.add(kept.get(names.indexOf(group.producers().get(0))).length);
        }
        return new Smaller(network.withWidths(inner, full ? List.of() : stages), weights,
                kernelWeights(network, layout, shapes), dense);
    }

    /** The weights of every conv and dense kernel of {@code network}, at the sizes {@code shapes} now hold. */
    private static long kernelWeights(NetworkSpec network, Layout layout, Map<String, long[]> shapes)
            throws TensorFlowException {
        long total = 0;
        for (String kernel : layout.kernels()) {
            long[] shape = shapes.get(kernel);
            if (shape == null) {
                throw new TensorFlowException("the checkpoint has no tensor " + kernel + "; is it the network it"
                        + " claims (" + network.architecture().label() + ")?");
            }
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            total += size;
        }
        return total;
    }

    /** @param axis the axis to slice, or -1 for the last */
    private static void slice(Map<String, float[]> weights, Map<String, long[]> shapes, String name, int axis,
            int[] keep) throws TensorFlowException {
        float[] values = weights.get(name);
        if (values == null) {
            throw new TensorFlowException("the checkpoint has no tensor " + name + "; is it the network it claims?");
        }
        long[] shape = shapes.get(name);
        int at = axis < 0 ? shape.length - 1 : axis;
        weights.put(name, ChannelSlice.keep(values, shape, at, keep));
        shapes.put(name, ChannelSlice.shape(shape, at, keep.length));
    }
}
