package io.prunestream.tensorflow.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Layers without weights. */
public final class Activations {

    private Activations() {
    }

    public static Layer relu() {
        return (graph, input) -> graph.tf().nn.relu(input);
    }

    public static Layer maxPool(int size, int stride) {
        return (graph, input) -> graph.tf().nn.maxPool(input, graph.tf().constant(new int[] {1, size, size, 1}),
                graph.tf().constant(new int[] {1, stride, stride, 1}), "VALID");
    }

    /** {@code [batch, d1, d2, ...]} to {@code [batch, d1 * d2 * ...]}. */
    public static Layer flatten() {
        return (graph, input) -> {
            long size = 1;
            for (int i = 1; i < input.shape().numDimensions(); i++) {
                size *= input.shape().get(i);
            }
            return graph.tf().reshape(input, graph.tf().constant(new long[] {-1, size}));
        };
    }

    /** The mean over height and width: {@code [b, h, w, c]} to {@code [b, c]}. */
    public static Layer globalAveragePool() {
        return (graph, input) -> graph.tf().math.mean(input, graph.tf().constant(new int[] {1, 2}));
    }

    /** {@code (x - mean) / std}, so the model takes pixels scaled to [0, 1] as they are. */
    public static Layer standardize(float mean, float std) {
        return (graph, input) -> graph.tf().withName("standardize").math.div(
                graph.tf().math.sub(input, graph.constant(mean)), graph.constant(std));
    }

    /** Layers applied one after the other. */
    public static Layer sequence(List<Layer> layers) {
        List<Layer> copy = List.copyOf(layers);
        return (graph, input) -> {
            Operand<TFloat32> output = input;
            for (Layer layer : copy) {
                output = graph.channels().carry(output, layer.apply(graph, output));
            }
            return output;
        };
    }
}
