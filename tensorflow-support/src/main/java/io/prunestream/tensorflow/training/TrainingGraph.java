package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.model.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The graph of one training: the network (input {@code image}, outputs {@code logits} and {@code probabilities}),
 * the loss with its penalty and weight decay, the optimizer's update ops and, for hyperspherical learning, the
 * projection of every filter back to unit norm, which runs after the updates of each step.
 */
final class TrainingGraph {

    final NetworkGraph network;
    final GraphBuilder builder;
    final Placeholder<TFloat32> image;
    final Operand<TFloat32> logits;
    final Operand<TFloat32> probabilities;
    final Placeholder<TFloat32> labels;
    final Placeholder<TFloat32> learningRate;
    final Placeholder<TFloat32> lambda;
    final Operand<TFloat32> crossEntropy;
    /** Run once per step: the updates, then the projection where there is one, and the batch-norm statistics. */
    final List<Op> stepTargets = new ArrayList<>();
    /** Run once after initialisation, so training starts on the sphere. */
    final List<Op> projection = new ArrayList<>();
    /** The TPP terms, or null when the method has none. */
    final TppGraph tpp;
    /** With TPP, per group, what zeroes its removed filters after a step; empty otherwise. */
    final List<Op> zeroOps;

    /**
     * @param networkSpec the network to train (its classifier must fit the method's unit norm)
     * @param preset its starting weights by variable name (fine-tuning a checkpoint), or null to draw them
     */
    TrainingGraph(Graph graph, TrainingSpec spec, NetworkSpec networkSpec, Map<String, float[]> preset) {
        network = new NetworkGraph(graph, networkSpec, spec.seed(), preset);
        builder = network.builder;
        image = network.image;
        logits = network.logits;
        probabilities = network.probabilities;
        Ops tf = builder.tf();
        ArchitectureSpec arch = spec.architecture();

        Ops train = tf.withSubScope("train");
        labels = train.withName("labels").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, arch.classes())));
        learningRate = train.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        lambda = train.withName("lambda").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        crossEntropy = train.math.mean(train.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(),
                train.constant(0));
        Operand<TFloat32> loss = crossEntropy;
        List<Kernel> kernels = builder.kernels();
        if (spec.method().hasPenalty()) {
            loss = train.math.add(loss, train.math.mul(lambda, Penalties.build(train, kernels, spec.method())));
        }
        tpp = spec.method().tpp() == null ? null : new TppGraph(builder, tf, spec.method().tpp(),
                spec.optimizer().learningRate());
        if (tpp != null) {
            loss = train.math.add(loss, tpp.penalty);
        }
        if (spec.optimizer().weightDecay() > 0) {
            List<Operand<TFloat32>> squares = new ArrayList<>();
            for (Kernel kernel : kernels) {
                // Through a reshape: the C API's gradient code crashes on Square of a reference-typed variable.
                squares.add(train.reduceSum(train.math.square(train.reshape(kernel.variable(),
                        train.constant(new long[] {-1}))), train.constant(0)));
            }
            loss = train.math.add(loss, train.math.mul(train.constant(spec.optimizer().weightDecay().floatValue() / 2),
                    train.math.addN(squares)));
        }
        List<Op> updates = optimizer(train, spec.optimizer(), loss);
        Ops afterUpdates = tf.withControlDependencies(updates);
        if (spec.method().unitNorm()) {
            for (Kernel kernel : kernels) {
                stepTargets.add(project(afterUpdates, kernel));
                projection.add(project(tf, kernel));
            }
        } else {
            stepTargets.addAll(updates);
        }
        stepTargets.addAll(builder.statisticsUpdates());
        zeroOps = tpp == null ? List.of() : tpp.zeroOps(afterUpdates);
    }

    private List<Op> optimizer(Ops train, OptimizerSpec spec, Operand<TFloat32> loss) {
        return Optimizers.updates(train, builder, builder.trainable(), loss, spec, learningRate);
    }

    /** w <- w / |w| per filter (column of the [fan-in, filters] view). */
    private static Op project(Ops tf, Kernel kernel) {
        Operand<TFloat32> matrix = tf.reshape(kernel.variable(), tf.constant(new long[] {kernel.fanIn(),
            kernel.filters()}));
        Operand<TFloat32> norms = tf.math.sqrt(tf.math.add(tf.reduceSum(tf.math.square(matrix), tf.constant(0),
                org.tensorflow.op.core.ReduceSum.keepDims(true)), tf.constant(1e-12f)));
        return tf.assign(kernel.variable(), tf.reshape(tf.math.div(matrix, norms), tf.constant(kernel.shape())));
    }
}
