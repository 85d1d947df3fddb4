package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.LayerCost;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A 2-D convolution with SAME padding; its kernel {@code [k, k, in, filters]} is prunable. */
public record Conv2D(int filters, int size, int stride, boolean bias) implements Layer {

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        Ops scope = graph.scope("conv");
        long channels = input.shape().get(3);
        Kernel kernel = graph.kernel(scope, size, size, channels, filters);
        graph.addCost(LayerCost.conv(kernel.name(), size, channels, filters, stride, (int) input.shape().get(1),
                (int) input.shape().get(2), bias));
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        Operand<TFloat32> output = scope.nn.conv2d(input, kernel.variable(), strides, "SAME");
        if (bias) {
            output = scope.nn.biasAdd(output, graph.constantVariable(scope, "bias", Shape.of(filters), 0f, true));
        }
        return output;
    }
}
