package io.prunestream.tensorflow.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * AutoBot's trainable gates on the channel groups of a network being built: off unless {@link #enable()}d, then
 * {@link #gate} multiplies a group's channels by sigmoid(α), α starting at sigmoid⁻¹(0.9). The logits are not among
 * the builder's trainable variables and never come from a preset.
 */
public final class Gates {

    private final GraphBuilder graph;
    private final ChannelGroups channels;
    private boolean enabled;
    private final Map<Integer, Variable<TFloat32>> logits = new LinkedHashMap<>();
    private final Map<Integer, Operand<TFloat32>> values = new LinkedHashMap<>();

    Gates(GraphBuilder graph, ChannelGroups channels) {
        this.graph = graph;
        this.channels = channels;
    }

    /** Turns gates on for what is built from now on. */
    public void enable() {
        enabled = true;
    }

    /**
     * {@code x} with each channel of {@code group} multiplied by its gate; {@code x} itself when gates are off. Every
     * use of a group shares one gate vector.
     */
    public Operand<TFloat32> gate(int group, Operand<TFloat32> x) {
        if (!enabled) {
            return x;
        }
        Operand<TFloat32> gate = values.computeIfAbsent(group, g -> {
            int n = channels.size(g);
            float[] initial = new float[n];
            Arrays.fill(initial, (float) Math.log(0.9 / 0.1));
            Ops scope = graph.tf().withSubScope("gates");
            Variable<TFloat32> logit = graph.freeVariable(scope, "alpha" + g, Shape.of(n), initial);
            logits.put(g, logit);
            return scope.math.sigmoid(logit);
        });
        return channels.holds(graph.tf().math.mul(x, gate), group);
    }

    /** The gates' logits by channel group, in the order they were first used. */
    public Map<Integer, Variable<TFloat32>> logits() {
        return Collections.unmodifiableMap(logits);
    }

    /** The gates (sigmoid of the logits) by channel group. */
    public Map<Integer, Operand<TFloat32>> values() {
        return Collections.unmodifiableMap(values);
    }
}
