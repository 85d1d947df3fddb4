package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.LayerCost;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The classifier of hyperspherical learning: logits = s * (x / |x|) . w, where the columns of w are kept at unit
 * norm by the trainer, so each logit is a cosine similarity times a learnable scale s.
 */
public record CosineClassifier(int classes, float initialScale) implements Layer {

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        Ops scope = graph.scope("cosine");
        Kernel kernel = graph.kernel(scope, input.shape().get(1), classes);
        Variable<TFloat32> scale = graph.constantVariable(scope, "scale", Shape.scalar(), initialScale, true);
        // The normalisation and the scale are O(in) per image: not counted, like batch norm's arithmetic.
        graph.addCost(LayerCost.dense(kernel.name(), input.shape().get(1), classes, false)
                .plus(new LayerCost(kernel.name(), 1, 0)));
        Operand<TFloat32> norm = scope.math.sqrt(scope.math.add(
                scope.reduceSum(scope.math.square(input), scope.constant(1), org.tensorflow.op.core.ReduceSum
                        .keepDims(true)), graph.constant(1e-12f)));
        Operand<TFloat32> unit = scope.math.div(input, norm);
        return scope.math.mul(scope.linalg.matMul(unit, kernel.variable()), scale);
    }
}
