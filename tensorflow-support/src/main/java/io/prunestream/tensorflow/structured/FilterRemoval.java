package io.prunestream.tensorflow.structured;

import io.prunestream.pruning.structured.ChannelSlice;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.model.ChannelGroups;
import io.prunestream.tensorflow.model.Residual;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Removes whole channels from a checkpoint of a known network: the kept channels of every channel group its
 * {@link NetworkStructure} records ({@link ChannelGroups#axes()}): a residual block's inner conv (its filters,
 * its batch norm and the next conv's input channels) and a stage's channels (the stem's, every block's second conv
 * and shortcut and their batch norms, the next convs' inputs and the classifier's rows). The network is then rebuilt
 * with those widths and the sliced weights. Every structured method ends here, whatever chose the channels.
 */
public final class FilterRemoval {

    private FilterRemoval() {
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
     * Writes into {@code target} the network of {@code source} with only the {@code kept} filters of each removable
     * filter group; the stages keep every channel.
     *
     * @param kept per filter group, increasing filter indices (at least one)
     */
    public static Smaller remove(ModelWeights source, NetworkStructure structure, List<int[]> kept, Path target)
            throws TensorFlowException {
        Smaller smaller = sliceChannels(source, structure, channelsOf(structure, kept));
        NetworkGraph.export(smaller.network(), smaller.weights(), target);
        return smaller;
    }

    /**
     * Every channel of every channel group, but only the {@code kept} filters of each removable filter group (a
     * block's inner conv): what a per-filter-group choice means for the whole network.
     */
    public static List<int[]> channelsOf(NetworkStructure structure, List<int[]> kept) {
        List<FilterGroup> groups = structure.filterGroups();
        if (kept.size() != groups.size()) {
            throw new IllegalArgumentException("kept filters for " + kept.size() + " groups, but "
                    + structure.network().architecture().label() + " has " + groups.size());
        }
        List<int[]> channels = new ArrayList<>();
        for (int size : structure.channelSizes()) {
            channels.add(IntStream.range(0, size).toArray());
        }
        for (int g = 0; g < groups.size(); g++) {
            channels.set(structure.channelGroupOf(groups.get(g)), kept.get(g));
        }
        return channels;
    }

    /**
     * The network of {@code source} with only the {@code kept} channels of each channel group, stages included (in
     * {@link NetworkStructure#channelGroups} order): every kernel and batch-norm vector that holds a group's channels
     * loses the others, and the network is rebuilt at the new widths.
     *
     * @param kept per channel group, increasing channel indices (at least one)
     */
    public static Smaller sliceChannels(ModelWeights source, NetworkStructure structure, List<int[]> kept)
            throws TensorFlowException {
        List<String> names = structure.channelGroups();
        List<Integer> sizes = structure.channelSizes();
        NetworkSpec network = structure.network();
        if (kept.size() != names.size()) {
            throw new IllegalArgumentException("kept channels for " + kept.size() + " groups, but "
                    + network.architecture().label() + " has " + names.size() + " channel groups");
        }
        for (int c = 0; c < names.size(); c++) {
            FilterRanking.requireValid(names.get(c), kept.get(c), sizes.get(c));
        }
        Map<String, float[]> weights = new HashMap<>(source.floatValues());
        Map<String, long[]> shapes = new HashMap<>();
        for (WeightTensor tensor : source.tensors()) {
            shapes.put(tensor.key(), tensor.spec().shape().stream().mapToLong(Long::longValue).toArray());
        }
        long dense = kernelWeights(structure, shapes);
        for (ChannelGroups.ChannelAxis axis : structure.axes()) {
            int[] keep = kept.get(axis.group());
            if (keep.length < sizes.get(axis.group())) {
                slice(weights, shapes, axis.variable(), axis.axis(), keep);
            }
        }
        List<Integer> stages = new ArrayList<>();
        boolean full = true;
        for (int s = 0; s < 3 && !structure.filterGroups().isEmpty(); s++) {
            int c = names.indexOf(Residual.stageGroup(s));
            stages.add(kept.get(c).length);
            full &= kept.get(c).length == sizes.get(c);
        }
        List<Integer> inner = new ArrayList<>();
        for (FilterGroup group : structure.filterGroups()) {
            inner.add(kept.get(structure.channelGroupOf(group)).length);
        }
        return new Smaller(network.withWidths(inner, full ? List.of() : stages), weights,
                kernelWeights(structure, shapes), dense);
    }

    /** The weights of every conv and dense kernel of the network, at the sizes {@code shapes} now hold. */
    private static long kernelWeights(NetworkStructure structure, Map<String, long[]> shapes)
            throws TensorFlowException {
        long total = 0;
        for (String kernel : structure.kernels()) {
            long[] shape = shapes.get(kernel);
            if (shape == null) {
                throw new TensorFlowException("the checkpoint has no tensor " + kernel + "; is it the network it"
                        + " claims (" + structure.network().architecture().label() + ")?");
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
