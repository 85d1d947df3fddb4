package io.prunestream.tensorflow.testing;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Context;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Mode;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
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
 * Trains a fixture's network for real, as its exporter's users would: Adam at Keras' default learning rate, batches
 * of 32 drawn with a seed, He initialisation; batch norm's moving statistics are the exact statistics of the first
 * 512 training images. Returns the weights and Adam's moments (which become the checkpoint's optimizer slots).
 */
final class FixtureTraining {

    private static final int BATCH = 32;
    /** Keras' default for Adam. */
    static final float LEARNING_RATE = 0.001f;
    /** The wide MLP's: Adam's default moves 4,096 inputs of a unit together far enough to diverge. */
    private static final float WIDE_LEARNING_RATE = 0.0001f;

    private FixtureTraining() {
    }

    record Trained(Map<String, float[]> values, Map<String, float[]> m, Map<String, float[]> v) {
    }

    static Trained train(ForeignModel.Kind kind, List<Weight> weights, LabeledImages data, int steps,
            long seed) {
        Random random = new Random(seed);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Map<String, Operand<TFloat32>> reads = new HashMap<>();
            Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
            Map<String, Variable<TFloat32>> m = new LinkedHashMap<>();
            Map<String, Variable<TFloat32>> v = new LinkedHashMap<>();
            List<Op> init = new ArrayList<>();
            Map<Placeholder<TFloat32>, TFloat32> feeds = new LinkedHashMap<>();
            for (Weight w : weights) {
                float[] initial = initial(w, random);
                Variable<TFloat32> variable = variable(tf, w.shape(), initial, init, feeds);
                variables.put(w.id(), variable);
                reads.put(w.id(), variable);
                if (w.trainable()) {
                    m.put(w.id(), variable(tf, w.shape(), null, init, feeds));
                    v.put(w.id(), variable(tf, w.shape(), null, init, feeds));
                }
            }
            Variable<TFloat32> beta1Power = variable(tf, new long[0], new float[] {0.9f}, init, feeds);
            Variable<TFloat32> beta2Power = variable(tf, new long[0], new float[] {0.999f}, init, feeds);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            Placeholder<TFloat32> labels = tf.placeholder(TFloat32.class);
            Map<String, List<Operand<TFloat32>>> statistics = new LinkedHashMap<>();
            Operand<TFloat32> logits = ForeignArchitectures.logits(kind, new Context(tf, reads, Mode.TRAIN,
                    statistics), x);
            Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(),
                    tf.constant(0));
            List<String> trainable = new ArrayList<>(m.keySet());
            org.tensorflow.op.core.Gradients gradients = tf.gradients(loss, trainable.stream()
                    .map(variables::get).toList());
            List<Op> updates = new ArrayList<>();
            for (int i = 0; i < trainable.size(); i++) {
                String id = trainable.get(i);
                Output<TFloat32> gradient = ForeignArchitectures.floats(gradients.dy(i));
                updates.add(tf.train.applyAdam(variables.get(id), m.get(id), v.get(id), beta1Power, beta2Power,
                        tf.constant(kind == ForeignModel.Kind.KERAS_MLP_WIDE ? WIDE_LEARNING_RATE : LEARNING_RATE),
                        tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-7f),
                        gradient));
            }
            Ops after = tf.withControlDependencies(updates);
            updates = List.of(after.assign(beta1Power, after.math.mul(beta1Power, after.constant(0.9f))),
                    after.assign(beta2Power, after.math.mul(beta2Power, after.constant(0.999f))));
            Session.Runner initRunner = session.runner();
            init.forEach(initRunner::addTarget);
            feeds.forEach(initRunner::feed);
            try (Result ignored = initRunner.run()) {
                // Assigning is the targets' side effect.
            } finally {
                feeds.values().forEach(TFloat32::close);
            }
            for (int step = 0; step < steps; step++) {
                int[] batch = random.ints(BATCH, 0, data.count()).toArray();
                try (TFloat32 images = images(kind, data, batch, BATCH);
                        TFloat32 oneHot = oneHot(data, batch);
                        Result ignored = runner(session, updates).feed(x, images).feed(labels, oneHot).run()) {
                    // The updates are the step.
                }
            }
            Map<String, float[]> values = fetch(session, variables);
            Map<String, float[]> firstMoments = fetch(session, m);
            Map<String, float[]> secondMoments = fetch(session, v);
            int n = Math.min(512, data.count());
            int[] sample = sequence(0, n);
            // Moving statistics: the exact batch statistics of the first images, as a long training would settle on.
            try (TFloat32 images = images(kind, data, sample, n)) {
                Session.Runner runner = session.runner().feed(x, images).fetch(logits);
                statistics.values().forEach(pair -> pair.forEach(runner::fetch));
                try (Result result = runner.run()) {
                    int next = 1;
                    for (String layer : statistics.keySet()) {
                        values.put(layer + "/moving_mean", floats((TFloat32) result.get(next++)));
                        values.put(layer + "/moving_variance", floats((TFloat32) result.get(next++)));
                    }
                }
            }
            return new Trained(values, firstMoments, secondMoments);
        }
    }

    private static Session.Runner runner(Session session, List<Op> targets) {
        Session.Runner runner = session.runner();
        targets.forEach(runner::addTarget);
        return runner;
    }

    private static Map<String, float[]> fetch(Session session, Map<String, Variable<TFloat32>> variables) {
        Map<String, float[]> values = new LinkedHashMap<>();
        if (variables.isEmpty()) {
            return values;
        }
        Session.Runner runner = session.runner();
        variables.values().forEach(runner::fetch);
        try (Result result = runner.run()) {
            int i = 0;
            for (String id : variables.keySet()) {
                values.put(id, floats((TFloat32) result.get(i++)));
            }
        }
        return values;
    }

    private static float[] floats(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    /**
     * A variable assigned {@code initial} when {@code init} runs, fed rather than held as a graph constant (a graph
     * copies its constants again; the bench's 1 GB model would hold them several times); null: zeros.
     */
    private static Variable<TFloat32> variable(Ops tf, long[] shape, float[] initial, List<Op> init,
            Map<Placeholder<TFloat32>, TFloat32> feeds) {
        Variable<TFloat32> variable = tf.variable(Shape.of(shape), TFloat32.class);
        if (initial == null) {
            init.add(tf.assign(variable, tf.zeros(tf.constant(shape), TFloat32.class)));
        } else {
            Placeholder<TFloat32> value = tf.placeholder(TFloat32.class);
            feeds.put(value, TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(initial, true, false)));
            init.add(tf.assign(variable, value));
        }
        return variable;
    }

    private static float[] initial(Weight w, Random random) {
        long size = 1;
        for (long d : w.shape()) {
            size *= d;
        }
        float[] values = new float[Math.toIntExact(size)];
        if (w.fanIn() == 0) {
            java.util.Arrays.fill(values, 1f);
        } else if (w.fanIn() > 0) {
            double std = Math.sqrt(2.0 / w.fanIn());
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
        }
        return values;
    }

    /** Images as the kind's input takes them: scaled, shaped as its signature says (one channel: the same order). */
    static TFloat32 images(ForeignModel.Kind kind, LabeledImages data, int[] indices, int n) {
        int pixels = data.pixelsPerImage();
        float[] values = new float[n * pixels];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                values[i * pixels + p] = (float) ((data.pixels()[indices[i] * pixels + p] & 0xFF) * kind.scale());
            }
        }
        long[] shape = kind.inputShape().stream().mapToLong(Long::longValue).toArray();
        shape[0] = n;
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    private static TFloat32 oneHot(LabeledImages data, int[] indices) {
        float[] values = new float[indices.length * 10];
        for (int i = 0; i < indices.length; i++) {
            values[i * 10 + data.label(indices[i])] = 1f;
        }
        return TFloat32.tensorOf(Shape.of(indices.length, 10), DataBuffers.of(values, true, false));
    }

    static int[] sequence(int from, int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = from + i;
        }
        return indices;
    }
}
