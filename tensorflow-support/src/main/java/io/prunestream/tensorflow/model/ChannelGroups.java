package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.LayerCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * The channel groups of a network being built (channels kept or removed together: a residual stage's, coupled by the
 * adds; a block's inner ones), what each layer's multiply-adds are as a function of them, which axes of which
 * variables hold them, and which group the last axis of each tensor holds. That last one travels with the tensors
 * ({@link #holds}, {@link #groupOf}), so no layer needs to know which layer came before it.
 */
public final class ChannelGroups {

    /** Axis {@code axis} of variable {@code variable} holds one entry per channel of channel group {@code group}. */
    public record ChannelAxis(String variable, int axis, int group) {
    }

    private final GraphBuilder graph;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final List<ChannelCostModel.Term> terms = new ArrayList<>();
    private final List<ChannelAxis> axes = new ArrayList<>();
    /** The group of each tensor's last axis, by output ("op:index"); a tensor not here holds fixed channels. */
    private final Map<String, Integer> tensors = new HashMap<>();

    ChannelGroups(GraphBuilder graph) {
        this.graph = graph;
    }

    /** The id of the channel group {@code name}, created with {@code channels} on first use. */
    public int group(String name, long channels) {
        Integer id = ids.get(name);
        if (id == null) {
            id = sizes.size();
            ids.put(name, id);
            sizes.add(Math.toIntExact(channels));
        } else if (sizes.get(id) != channels) {
            throw new IllegalArgumentException("channel group " + name + " has " + sizes.get(id) + " channels, not "
                    + channels);
        }
        return id;
    }

    /** The number of channels of group {@code id}. */
    int size(int id) {
        return sizes.get(id);
    }

    /** {@code x}, recorded as holding group {@code group}'s channels on its last axis. */
    public <T extends Operand<?>> T holds(T x, int group) {
        if (group != ChannelCostModel.FIXED) {
            tensors.put(key(x), group);
        }
        return x;
    }

    /** The group whose channels {@code x}'s last axis holds, or {@link ChannelCostModel#FIXED}. */
    public int groupOf(Operand<?> x) {
        return tensors.getOrDefault(key(x), ChannelCostModel.FIXED);
    }

    /**
     * {@code output}, holding what {@code input} held where a layer kept the channel axis as it was (an activation, a
     * batch norm, a pooling) and did not say otherwise.
     */
    <T extends Operand<?>> T carry(Operand<?> input, T output) {
        int rank = output.shape().numDimensions();
        int inRank = input.shape().numDimensions();
        if (!tensors.containsKey(key(output)) && rank > 0 && inRank > 0
                && output.shape().get(rank - 1) == input.shape().get(inRank - 1)) {
            holds(output, groupOf(input));
        }
        return output;
    }

    /**
     * Records layer {@code layer} (whose cost was recorded) in the channel cost model: its multiply-adds are a
     * coefficient times its input and output channels, each from a group or fixed.
     */
    public void addTerm(String layer, int inGroup, long in, int outGroup, long out) {
        LayerCost cost = graph.costs().stream().filter(c -> c.name().equals(layer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cost was recorded for layer " + layer));
        terms.add(new ChannelCostModel.Term(layer, cost.multiplyAdds() / (in * out), inGroup, in, outGroup, out));
        // The layer's kernel: [in, out] or [h, w, in, out].
        int rank = graph.shapeOf(layer).length;
        addAxis(layer, rank - 2, inGroup);
        addAxis(layer, rank - 1, outGroup);
    }

    /** Records that the vectors created since the {@code from}-th variable (batch norm's) hold {@code group}. */
    public void addVectors(int from, int group) {
        for (String name : graph.variableNames(from)) {
            addAxis(name, 0, group);
        }
    }

    private void addAxis(String variable, int axis, int group) {
        if (group != ChannelCostModel.FIXED) {
            axes.add(new ChannelAxis(variable, axis, group));
        }
    }

    /** Which axes of which variables hold which channel group's channels: what removing channels slices. */
    public List<ChannelAxis> axes() {
        return List.copyOf(axes);
    }

    /** Multiply-adds as a function of the channels each group keeps; empty for a network without groups. */
    public ChannelCostModel costs() {
        return new ChannelCostModel(terms, sizes);
    }

    /** The channel groups' names, by id. */
    public List<String> names() {
        return List.copyOf(ids.keySet());
    }

    private static String key(Operand<?> x) {
        Output<?> output = x.asOutput();
        return output.op().name() + ":" + output.index();
    }
}
