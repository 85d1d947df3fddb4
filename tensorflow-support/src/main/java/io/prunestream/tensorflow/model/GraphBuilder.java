package io.prunestream.tensorflow.model;

import io.prunestream.pruning.structured.LayerCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The graph a network is being built into, and what its layers register there: trainable variables, prunable
 * kernels, batch-norm statistics updates. Initial values are drawn in Java from one seeded {@link Random} and fed
 * once through placeholders ({@link #initialValues()}), so a seed gives the same network every time and the exported
 * graph carries no copy of the initial weights.
 */
public final class GraphBuilder {

    private final Ops tf;
    private final Random random;
    private final Operand<TFloat32> training;
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Kernel> kernels = new ArrayList<>();
    private final List<Op> statisticsUpdates = new ArrayList<>();
    private final Map<Placeholder<TFloat32>, InitialValue> initialValues = new HashMap<>();
    private final List<Assign<TFloat32>> initializers = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private final List<String> variableNames = new ArrayList<>();
    private final Map<String, long[]> variableShapes = new HashMap<>();
    private final List<FilterGroup> filterGroups = new ArrayList<>();
    private final List<LayerCost> costs = new ArrayList<>();
    private Map<String, float[]> preset;
    private final ChannelGroups channels = new ChannelGroups(this);
    private final Gates gates = new Gates(this, channels);

    /** A value to feed into a variable's initializer. */
    public record InitialValue(Shape shape, float[] values) {
    }

    public GraphBuilder(Graph graph, long seed) {
        this(graph, seed, null);
    }

    /**
     * A builder whose variables take their values from {@code preset} (by variable name, such as
     * {@code conv3/kernel}) instead of drawing them: a network rebuilt from a checkpoint's weights. With a preset,
     * a variable it lacks, or one of another size, is an error.
     */
    public GraphBuilder(Graph graph, long seed, Map<String, float[]> preset) {
        this.tf = Ops.create(graph);
        this.random = new Random(seed);
        this.preset = preset == null ? null : Map.copyOf(preset);
        // 1 while training (batch statistics), 0 by default: the exported model uses the moving statistics.
        this.training = tf.withName("training").placeholderWithDefault(tf.constant(0f), Shape.scalar());
    }

    public Ops tf() {
        return tf;
    }

    /** A scalar, 1 during training steps and 0 otherwise. */
    public Operand<TFloat32> training() {
        return training;
    }

    /** A fresh name scope: {@code conv} gives {@code conv1}, then {@code conv2}, ... */
    public Ops scope(String prefix) {
        int n = names.merge(prefix, 1, Integer::sum);
        return tf.withSubScope(prefix + n);
    }

    /**
     * Ends the preset: variables created from now on (optimizer slots, training state) take their given initial
     * values, since a checkpoint's weights are only the network's.
     */
    public void endPreset() {
        preset = null;
    }

    /** A variable with the given initial values; trainable ones are what the optimizer updates. */
    public Variable<TFloat32> variable(Ops scope, String name, Shape shape, float[] initial, boolean isTrainable) {
        return variable(scope, name, shape, initial, isTrainable, preset != null);
    }

    private Variable<TFloat32> variable(Ops scope, String name, Shape shape, float[] initial, boolean isTrainable,
            boolean fromPreset) {
        Variable<TFloat32> variable = scope.withName(name).variable(shape, TFloat32.class);
        String fullName = variable.op().name();
        variableNames.add(fullName);
        variableShapes.put(fullName, shape.asArray());
        if (fromPreset) {
            initial = preset.get(fullName);
            if (initial == null || initial.length != shape.size()) {
                throw new IllegalArgumentException("variable " + fullName + " of shape " + shape
                        + ": the given weights " + (initial == null ? "have no such tensor"
                        : "hold " + initial.length + " values"));
            }
        }
        Placeholder<TFloat32> value = scope.withName(name + "_init").placeholder(TFloat32.class,
                Placeholder.shape(shape));
        initializers.add(scope.withName(name + "_assign").assign(variable, value));
        initialValues.put(value, new InitialValue(shape, initial));
        if (isTrainable) {
            trainable.add(variable);
        }
        return variable;
    }

    /** A variable outside the preset and the trainable ones, with the given initial values: a gate's logits. */
    Variable<TFloat32> freeVariable(Ops scope, String name, Shape shape, float[] initial) {
        return variable(scope, name, shape, initial, false, false);
    }

    /** A prunable kernel, He-normal initialised (std = sqrt(2 / fan-in)). */
    public Kernel kernel(Ops scope, long... shape) {
        long fanIn = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            fanIn *= shape[i];
        }
        float[] values = normal(Math.toIntExact(fanIn * shape[shape.length - 1]), Math.sqrt(2.0 / fanIn));
        Variable<TFloat32> variable = variable(scope, "kernel", Shape.of(shape), values, true);
        Kernel kernel = new Kernel(variable.op().name(), variable, shape.clone());
        kernels.add(kernel);
        return kernel;
    }

    public Variable<TFloat32> constantVariable(Ops scope, String name, Shape shape, float value, boolean isTrainable) {
        float[] values = new float[Math.toIntExact(shape.size())];
        java.util.Arrays.fill(values, value);
        return variable(scope, name, shape, values, isTrainable);
    }

    /** How many variables were created so far; with {@link #variableNames(int)}, what a layer created. */
    public int variableCount() {
        return variableNames.size();
    }

    /** The names of the variables created since the {@code from}-th, in creation order. */
    public List<String> variableNames(int from) {
        return List.copyOf(variableNames.subList(from, variableNames.size()));
    }

    /** The shape of a variable created by this builder. */
    public long[] shapeOf(String variable) {
        long[] shape = variableShapes.get(variable);
        if (shape == null) {
            throw new IllegalArgumentException("no variable " + variable + " was built");
        }
        return shape.clone();
    }

    /** Registers filters that can be removed together (see {@link FilterGroup}). */
    public void addFilterGroup(FilterGroup group) {
        filterGroups.add(group);
    }

    public List<FilterGroup> filterGroups() {
        return List.copyOf(filterGroups);
    }

    /** Records what a layer costs (parameters, multiply-adds per image), as the layer knows its shapes. */
    public void addCost(LayerCost cost) {
        costs.add(cost);
    }

    public List<LayerCost> costs() {
        return List.copyOf(costs);
    }

    /** The network's channel groups, their costs and axes, and which group each tensor holds. */
    public ChannelGroups channels() {
        return channels;
    }

    /** The gates on the channel groups (AutoBot's bottleneck), off unless enabled. */
    public Gates gates() {
        return gates;
    }

    /** Runs the initializers, feeding each variable its initial (or preset) value. */
    public void initialize(Session session) {
        Session.Runner runner = session.runner();
        List<TFloat32> feeds = new ArrayList<>();
        try {
            for (Map.Entry<Placeholder<TFloat32>, InitialValue> value : initialValues.entrySet()) {
                TFloat32 tensor = TFloat32.tensorOf(value.getValue().shape(),
                        DataBuffers.of(value.getValue().values(), true, false));
                feeds.add(tensor);
                runner.feed(value.getKey(), tensor);
            }
            initializers.forEach(runner::addTarget);
            try (Result ignored = runner.run()) {
                // Assignments only.
            }
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    public void addStatisticsUpdate(Op update) {
        statisticsUpdates.add(update);
    }

    public List<Variable<TFloat32>> trainable() {
        return List.copyOf(trainable);
    }

    public List<Kernel> kernels() {
        return List.copyOf(kernels);
    }

    /** Batch-norm moving-statistics updates, to run with every training step. */
    public List<Op> statisticsUpdates() {
        return List.copyOf(statisticsUpdates);
    }

    /** The initializer ops and what to feed them, to run once before training. */
    public List<Assign<TFloat32>> initializers() {
        return List.copyOf(initializers);
    }

    public Map<Placeholder<TFloat32>, InitialValue> initialValues() {
        return Map.copyOf(initialValues);
    }

    /** The values as an operand of the graph, for small constants such as normalisation statistics. */
    public Operand<TFloat32> constant(float value) {
        return tf.constant(value);
    }

    private float[] normal(int n, double std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }
}
