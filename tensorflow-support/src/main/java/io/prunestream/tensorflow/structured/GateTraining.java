package io.prunestream.tensorflow.structured;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.Optimizers;
import io.prunestream.tensorflow.training.ImageTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * AutoBot's trainable bottleneck (Castells and Yeom, AAAI-23; {@code ../shared/docs/papers.md} §2): a gate per channel
 * of every channel group (a block's inner channels after its ReLU; a stage's channels on the stem's batch-norm output
 * and on every batch-norm output before an add, shortcuts' included, so that a shut gate is a removed channel),
 * λ = sigmoid(α) starting at 0.9, trained with Adam while the weights stay frozen and batch norm uses its
 * moving statistics, on CE + β·L_flops + γ·L_bool: L_flops is (F − T)/(F_max − T) above the target T and 1 − F/T
 * below it, F the multiply-adds with each group's gates summed as its channel count ({@link ChannelCostModel}), and
 * L_bool the mean over groups of mean |λ − round(λ)|. The gates of the lowest loss after 60% of the steps are kept.
 */
public final class GateTraining {

    /** Share of the steps after which the lowest-loss gates are kept (the paper's). */
    static final double SNAPSHOT_FROM = 0.6;

    /**
     * How to train the gates: to {@code targetMultiplyAdds}, with weights {@code beta} (L_flops) and {@code gamma}
     * (L_bool), Adam at {@code learningRate}, for {@code batches} batches of {@code batchSize}, in an order from
     * {@code seed}.
     */
    public record Settings(long targetMultiplyAdds, double beta, double gamma, double learningRate, int batches,
            int batchSize, long seed) {

        public Settings {
            if (targetMultiplyAdds < 1 || !(beta >= 0) || !(gamma >= 0) || !(learningRate > 0) || batches < 1
                    || batchSize < 1) {
                throw new IllegalArgumentException("gate training: target " + targetMultiplyAdds + ", beta " + beta
                        + ", gamma " + gamma + ", learning rate " + learningRate + ", " + batches + " batches of "
                        + batchSize + ": the target, the rate, the batches and their size must be positive, the"
                        + " weights zero or more");
            }
        }
    }

    /**
     * The kept gates per channel group (in the order of the channel cost model), their loss and soft
     * multiply-adds at the step they were taken from, the batches trained, and how long the training took.
     */
    public record Gates(List<float[]> gates, double loss, double softMultiplyAdds, int step, int batches,
            long millis) {
    }

    private GateTraining() {
    }

    /** Trains the gates of {@code network} with {@code weights} (by variable name) on {@code data}. */
    public static Gates train(NetworkSpec network, Map<String, float[]> weights, LabeledImages data,
            Settings settings) throws TensorFlowException {
        if (!ArchitectureSpec.RESNET.equals(network.architecture().name())) {
            throw new IllegalArgumentException("network " + network.architecture().label() + " has no channel"
                    + " groups to gate; gates need a ResNet");
        }
        TensorFlowRuntime.start();
        long started = System.nanoTime();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            NetworkGraph net = new NetworkGraph(graph, network, 0, weights, true);
            GraphBuilder builder = net.builder;
            ChannelCostModel model = builder.channels().costs();
            Map<Integer, Operand<TFloat32>> gates = builder.gates().values();
            if (model.groups().isEmpty() || gates.size() != model.groups().size()) {
                throw new IllegalArgumentException("network " + network.architecture().label() + " has "
                        + model.groups().size() + " channel groups and " + gates.size() + " gated ones; gates"
                        + " need a ResNet");
            }
            Ops tf = builder.tf().withSubScope("bottleneck");
            int classes = network.architecture().classes();
            Placeholder<TFloat32> labels = tf.withName("labels").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, classes)));
            Operand<TFloat32> crossEntropy = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(net.logits, labels)
                    .loss(), tf.constant(0));
            Operand<TFloat32> flops = softMultiplyAdds(tf, model, gates);
            Operand<TFloat32> loss = loss(tf, crossEntropy, flops, model, gates, settings);
            List<Variable<TFloat32>> logits = new ArrayList<>(builder.gates().logits().values());
            List<Op> updates = Optimizers.updates(tf, builder, logits, loss, new OptimizerSpec("adam",
                    settings.learningRate(), null, null, "constant", null, null),
                    tf.constant((float) settings.learningRate()));
            builder.initialize(session);

            List<Operand<TFloat32>> gateValues = new ArrayList<>();
            for (int g = 0; g < model.groups().size(); g++) {
                gateValues.add(gates.get(g));
            }
            return steps(session, new Step(net.image, labels, loss, flops, gateValues, updates), data, settings,
                    classes, started);
        } catch (RuntimeException e) {
            throw new TensorFlowException("gate training failed: " + e.getMessage(), e);
        }
    }

    /** What one training step feeds, fetches and runs. */
    private record Step(Operand<TFloat32> image, Placeholder<TFloat32> labels, Operand<TFloat32> loss,
            Operand<TFloat32> flops, List<Operand<TFloat32>> gates, List<Op> updates) {
    }

    /** The steps over random batches; keeps the gates of the lowest loss after {@link #SNAPSHOT_FROM}. */
    private static Gates steps(Session session, Step step, LabeledImages data, Settings settings, int classes,
            long started) throws TensorFlowException {
        SplittableRandom order = new SplittableRandom(settings.seed());
        int[] indices = new int[settings.batchSize()];
        double best = Double.POSITIVE_INFINITY;
        List<float[]> kept = null;
        double keptFlops = Double.NaN;
        int keptStep = -1;
        int from = (int) Math.floor(SNAPSHOT_FROM * settings.batches());
        for (int n = 0; n < settings.batches(); n++) {
            for (int i = 0; i < indices.length; i++) {
                indices[i] = order.nextInt(data.count());
            }
            try (TFloat32 images = ImageTensors.images(data, indices, 0, indices.length);
                    TFloat32 truth = ImageTensors.oneHot(data, indices, 0, indices.length, classes)) {
                // The loss and gates of this batch are read before the step updates them.
                Session.Runner runner = session.runner().feed(step.image(), images).feed(step.labels(), truth)
                        .fetch(step.loss()).fetch(step.flops());
                step.gates().forEach(runner::fetch);
                step.updates().forEach(runner::addTarget);
                try (Result result = runner.run()) {
                    double value = ((TFloat32) result.get(0)).getFloat();
                    if (!Double.isFinite(value)) {
                        throw new TensorFlowException("gate training diverged at batch " + (n + 1) + ": the loss is "
                                + value + "; lower the learning rate (now " + settings.learningRate() + ")");
                    }
                    if (n >= from && value < best) {
                        best = value;
                        keptStep = n;
                        keptFlops = ((TFloat32) result.get(1)).getFloat();
                        kept = new ArrayList<>();
                        for (int g = 0; g < step.gates().size(); g++) {
                            TFloat32 tensor = (TFloat32) result.get(2 + g);
                            float[] copy = new float[Math.toIntExact(tensor.size())];
                            tensor.copyTo(DataBuffers.of(copy, false, false));
                            kept.add(copy);
                        }
                    }
                }
            }
        }
        return new Gates(kept, best, keptFlops, keptStep, settings.batches(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** CE + β·L_flops + γ·L_bool (see the class comment). */
    private static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> crossEntropy, Operand<TFloat32> flops,
            ChannelCostModel model, Map<Integer, Operand<TFloat32>> gates, Settings settings) {
        float target = settings.targetMultiplyAdds();
        float full = model.multiplyAdds();
        Operand<TFloat32> above = tf.math.div(tf.nn.relu(tf.math.sub(flops, tf.constant(target))),
                tf.constant(Math.max(full - target, 1f)));
        Operand<TFloat32> below = tf.math.div(tf.nn.relu(tf.math.sub(tf.constant(target), flops)),
                tf.constant(target));
        List<Operand<TFloat32>> binary = new ArrayList<>();
        for (Operand<TFloat32> gate : gates.values()) {
            binary.add(tf.math.mean(tf.math.abs(tf.math.sub(gate, tf.stopGradient(tf.math.round(gate)))),
                    tf.constant(0)));
        }
        Operand<TFloat32> bool = tf.math.div(tf.math.addN(binary), tf.constant((float) binary.size()));
        return tf.math.add(crossEntropy, tf.math.add(
                tf.math.mul(tf.constant((float) settings.beta()), tf.math.add(above, below)),
                tf.math.mul(tf.constant((float) settings.gamma()), bool)));
    }

    /** The multiply-adds with each group's gates summed as its channel count. */
    private static Operand<TFloat32> softMultiplyAdds(Ops tf, ChannelCostModel model,
            Map<Integer, Operand<TFloat32>> gates) {
        List<Operand<TFloat32>> counts = new ArrayList<>();
        for (int g = 0; g < model.groups().size(); g++) {
            counts.add(tf.reduceSum(gates.get(g), tf.constant(0)));
        }
        List<Operand<TFloat32>> terms = new ArrayList<>();
        for (ChannelCostModel.Term term : model.terms()) {
            Operand<TFloat32> in = term.inGroup() == ChannelCostModel.FIXED ? tf.constant((float) term.inChannels())
                    : counts.get(term.inGroup());
            Operand<TFloat32> out = term.outGroup() == ChannelCostModel.FIXED
                    ? tf.constant((float) term.outChannels()) : counts.get(term.outGroup());
            terms.add(tf.math.mul(tf.constant((float) term.coefficient()), tf.math.mul(in, out)));
        }
        return tf.math.addN(terms);
    }
}
