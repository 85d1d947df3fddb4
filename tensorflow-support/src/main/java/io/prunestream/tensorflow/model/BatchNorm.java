package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.LayerCost;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Batch normalisation over every axis but the last, built from primitive ops (each has a registered gradient).
 * While training it uses the batch statistics and updates moving averages; otherwise (and in the exported model)
 * it uses the moving averages. Magnitude pruning leaves its
 * gamma, beta and statistics alone; structured pruning removes the entries of removed filters.
 */
public record BatchNorm(float momentum, float epsilon) implements Layer {

    public BatchNorm() {
        this(0.9f, 1e-3f);
    }

    /**
     * Batch norm over the channels of channel group {@code group}: its vectors are recorded as holding them, so that
     * removing the group's channels removes their entries.
     */
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input, int group) {
        int from = graph.variableCount();
        Operand<TFloat32> output = apply(graph, input);
        graph.channels().addVectors(from, group);
        return graph.channels().holds(output, group);
    }

    @Override
    public Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input) {
        Ops scope = graph.scope("bn");
        int rank = input.shape().numDimensions();
        long channels = input.shape().get(rank - 1);
        Shape shape = Shape.of(channels);
        Variable<TFloat32> gamma = graph.constantVariable(scope, "gamma", shape, 1f, true);
        graph.addCost(LayerCost.batchNorm(gamma.op().name().replace("/gamma", ""), channels));
        Variable<TFloat32> beta = graph.constantVariable(scope, "beta", shape, 0f, true);
        Variable<TFloat32> movingMean = graph.constantVariable(scope, "moving_mean", shape, 0f, false);
        Variable<TFloat32> movingVariance = graph.constantVariable(scope, "moving_variance", shape, 1f, false);

        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < rank - 1; i++) {
            axes.add(i);
        }
        Operand<org.tensorflow.types.TInt32> reduce = scope.constant(axes.stream().mapToInt(Integer::intValue)
                .toArray());
        Operand<TFloat32> batchMean = scope.math.mean(input, reduce);
        Operand<TFloat32> centered = scope.math.sub(input, batchMean);
        Operand<TFloat32> batchVariance = scope.math.mean(scope.math.square(centered), reduce);

        Operand<TFloat32> t = graph.training();
        Operand<TFloat32> notT = scope.math.sub(graph.constant(1f), t);
        Operand<TFloat32> mean = scope.math.add(scope.math.mul(t, batchMean), scope.math.mul(notT, movingMean));
        Operand<TFloat32> variance = scope.math.add(scope.math.mul(t, batchVariance),
                scope.math.mul(notT, movingVariance));

        Operand<TFloat32> keep = graph.constant(momentum);
        Operand<TFloat32> take = graph.constant(1f - momentum);
        graph.addStatisticsUpdate(scope.assign(movingMean, scope.math.add(scope.math.mul(movingMean, keep),
                scope.math.mul(scope.stopGradient(batchMean), take))));
        graph.addStatisticsUpdate(scope.assign(movingVariance, scope.math.add(scope.math.mul(movingVariance, keep),
                scope.math.mul(scope.stopGradient(batchVariance), take))));

        Operand<TFloat32> normalized = scope.math.mul(scope.math.sub(input, mean),
                scope.math.rsqrt(scope.math.add(variance, graph.constant(epsilon))));
        return scope.math.add(scope.math.mul(normalized, gamma), beta);
    }
}
