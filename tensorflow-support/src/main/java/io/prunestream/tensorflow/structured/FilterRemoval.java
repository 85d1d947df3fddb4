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
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;

/**
 * Removes whole filters from a checkpoint of a known network: for each {@link FilterGroup} (the inner conv of a
 * residual block) the kept filters of its conv and batch norm, and the matching input channels of the next conv; the
 * network is then rebuilt with those widths and the sliced weights, and exported as a smaller SavedModel. Everything
 * else (the stem, the shortcuts, the classifier) is copied as it is.
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

    /** What removal needs to know of a network's graph: its removable groups, prunable kernels and variables. */
    private record Layout(List<FilterGroup> groups, List<String> kernels, Map<String, long[]> shapes) {
    }

    private static Layout layout(NetworkSpec network) throws TensorFlowException {
        TensorFlowRuntime.start();
        try (Graph graph = new Graph()) {
            NetworkGraph built = new NetworkGraph(graph, network, 0, null);
            GraphBuilder builder = built.builder;
            Map<String, long[]> shapes = new LinkedHashMap<>();
            built.variables.forEach(name -> shapes.put(name, builder.shapeOf(name)));
            return new Layout(builder.filterGroups(), builder.kernels().stream().map(Kernel::name).toList(), shapes);
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

    /** The network of {@code source} with only the {@code kept} filters of each group, not yet written. */
    public static Smaller slice(ModelWeights source, NetworkSpec network, List<int[]> kept)
            throws TensorFlowException {
        Layout layout = layout(network);
        List<FilterGroup> groups = layout.groups();
        if (kept.size() != groups.size()) {
            throw new IllegalArgumentException("kept filters for " + kept.size() + " groups, but "
                    + network.architecture().label() + " has " + groups.size());
        }
        Map<String, float[]> weights = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (WeightTensor tensor : source.tensors()) {
            if (tensor.isFloat()) {
                weights.put(tensor.key(), tensor.values());
                shapes.put(tensor.key(), tensor.spec().shape().stream().mapToLong(Long::longValue).toArray());
            }
        }
        long dense = kernelWeights(network, layout, shapes);
        List<Integer> widths = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            FilterGroup group = groups.get(g);
            int[] keep = kept.get(g);
            FilterRanking.requireValid(group.consumer(), keep, group.filters());
            for (String producer : group.producers()) {
                slice(weights, shapes, producer, -1, keep);
            }
            slice(weights, shapes, group.consumer(), 2, keep);
            widths.add(keep.length);
        }
        return new Smaller(network.withInnerWidths(widths), weights, kernelWeights(network, layout, shapes), dense);
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
