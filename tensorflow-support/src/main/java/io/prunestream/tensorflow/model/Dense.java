package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.LayerCost;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A fully connected layer; its kernel {@code [in, units]} is prunable. */
public record Dense(int units, boolean bias) implements Layer {

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        Ops scope = graph.scope("dense");
        Kernel kernel = graph.kernel(scope, input.shape().get(1), units);
        graph.addCost(LayerCost.dense(kernel.name(), input.shape().get(1), units, bias));
        Operand<TFloat32> output = scope.linalg.matMul(input, kernel.variable());
        if (bias) {
            output = scope.nn.biasAdd(output, graph.constantVariable(scope, "bias", Shape.of(units), 0f, true));
        }
        return output;
    }
}
