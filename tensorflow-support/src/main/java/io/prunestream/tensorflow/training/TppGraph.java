package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.model.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The TPP terms of a training graph ({@link TppSpec}): per removable group a mask of the kept filters (fed once the
 * split is chosen; all ones before), the Gram penalty and the L2 decay on the removed filters and their batch-norm
 * scale and shift, both scaled by {@code reg}, and the ops that zero the removed filters after a step.
 */
final class TppGraph {

    final List<FilterGroup> groups;
    /** Per group, the conv kernel whose filters are ranked and removed. */
    final List<Kernel> kernels = new ArrayList<>();
    /** Per group: 1 for a kept filter, 0 for a removed one. */
    final List<PlaceholderWithDefault<TFloat32>> keep = new ArrayList<>();
    /** The decay coefficient reg(t); the Gram term is weighed by gramWeight times it. */
    final PlaceholderWithDefault<TFloat32> reg;
    /** The penalty to add to the loss. */
    final Operand<TFloat32> penalty;
    /** Per group, the variables that removal shrinks on their last axis and zeroing sets to 0: kernel, gamma, beta. */
    private final List<List<Variable<TFloat32>>> zeroed = new ArrayList<>();

    TppGraph(GraphBuilder builder, Ops tf, TppSpec spec, double learningRate) {
        groups = builder.filterGroups();
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("method.tpp: the network has no removable filters");
        }
        Ops scope = tf.withSubScope("tpp");
        reg = scope.withName("reg").placeholderWithDefault(scope.constant(0f), Shape.scalar());
        List<Operand<TFloat32>> gram = new ArrayList<>();
        List<Operand<TFloat32>> decay = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            FilterGroup group = groups.get(g);
            Kernel kernel = kernel(builder, group.producers().get(0));
            kernels.add(kernel);
            int n = group.filters();
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            PlaceholderWithDefault<TFloat32> mask = scope.withName("keep" + (g + 1))
                    .placeholderWithDefault(scope.constant(ones), Shape.of(n));
            keep.add(mask);
            Operand<TFloat32> removed = scope.math.sub(scope.constant(1f), mask);

            // Through a reshape: the C API's gradient code crashes on ops that read a reference-typed variable.
            Operand<TFloat32> w = scope.reshape(kernel.variable(), scope.constant(new long[] {kernel.fanIn(), n}));
            Operand<TFloat32> products = scope.linalg.matMul(w, w, MatMul.transposeA(true));
            Operand<TFloat32> both = scope.math.mul(scope.reshape(mask, scope.constant(new long[] {n, 1})),
                    scope.reshape(mask, scope.constant(new long[] {1, n})));
            Operand<TFloat32> touched = scope.math.mul(products, scope.math.sub(scope.constant(1f), both));
            gram.add(scope.math.mean(scope.math.square(touched), scope.constant(new int[] {0, 1})));

            List<Operand<TFloat32>> squares = new ArrayList<>();
            squares.add(scope.reduceSum(scope.math.mul(scope.math.square(w), removed), scope.constant(new int[] {0,
                1})));
            List<Variable<TFloat32>> variables = new ArrayList<>();
            variables.add(kernel.variable());
            for (String name : group.producers().subList(1, group.producers().size())) {
                if (name.endsWith("/gamma") || name.endsWith("/beta")) {
                    Variable<TFloat32> v = trainable(builder, name);
                    squares.add(scope.reduceSum(scope.math.mul(scope.math.square(scope.reshape(v,
                            scope.constant(new long[] {n}))), removed), scope.constant(0)));
                    variables.add(v);
                }
            }
            decay.add(scope.math.addN(squares));
            zeroed.add(variables);
        }
        Operand<TFloat32> gramSum = scope.math.mul(scope.constant((float) spec.gramWeightFor(learningRate)),
                scope.math.addN(gram));
        Operand<TFloat32> decaySum = scope.math.mul(scope.constant(0.5f), scope.math.addN(decay));
        penalty = scope.math.mul(reg, scope.math.add(gramSum, decaySum));
    }

    /**
     * Per group, one op that sets its removed filters and their batch-norm scale and shift to 0; built in
     * {@code after}, a scope that waits for the step's updates, so that it zeroes what the updates wrote.
     */
    List<Op> zeroOps(Ops after) {
        List<Op> ops = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Op> assigns = new ArrayList<>();
            for (Variable<TFloat32> v : zeroed.get(g)) {
                assigns.add(after.assign(v, after.math.mul(v, keep.get(g))));
            }
            ops.add(after.withControlDependencies(assigns).noOp());
        }
        return ops;
    }

    private static Kernel kernel(GraphBuilder builder, String name) {
        return builder.kernels().stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kernel " + name + " in the graph"));
    }

    private static Variable<TFloat32> trainable(GraphBuilder builder, String name) {
        return builder.trainable().stream().filter(v -> v.op().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no trainable variable " + name + " in the graph"));
    }
}
