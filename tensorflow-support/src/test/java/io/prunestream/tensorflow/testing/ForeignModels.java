package io.prunestream.tensorflow.testing;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Context;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Mode;
import io.prunestream.tensorflow.testing.ForeignArchitectures.Weight;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.types.TFloat32;

/**
 * SavedModels as other tools write them, trained for real on the given images (Adam, a few hundred steps, about a
 * second each on generated images): Keras TF2 models ({@code layer_with_weights-N/...} keys, legacy
 * {@code .OPTIMIZER_SLOT} or newer {@code optimizer/_variables/N} slots) and a channels-first exporter, all in the
 * function-based layout of {@link Tf2SavedModel}. {@link #referenceLogits} computes what a model with given weights
 * answers, in a plain graph of ordinary ops: the independent computation that scores are checked against.
 */
public final class ForeignModels {

    private ForeignModels() {
    }

    /** Trains a {@code kind} model on {@code train} for {@code steps} steps and writes it to {@code directory}. */
    public static ForeignModel write(ForeignModel.Kind kind, Path directory, LabeledImages train, int steps,
            long seed) throws IOException {
        return write(kind, directory, train, steps, seed, Exporter.TF2);
    }

    /** Which exporter's layout a fixture takes, where they differ ({@link Tf2SavedModel.Exporter}). */
    public enum Exporter {
        /** TF 2.5 to 2.15's {@code tf.saved_model.save}, Keras 2's {@code model.save(dir)}. */
        TF2,
        /** TF 2.0 to 2.4: the object graph restored by a {@code RestoreV2} of its own. */
        EARLY_TF2,
        /** Keras 3's {@code model.export(dir)}: {@code serve} and {@code serving_default} over one function. */
        KERAS3_EXPORT
    }

    /** {@link #write(ForeignModel.Kind, Path, LabeledImages, int, long)} in {@code exporter}'s layout. */
    public static ForeignModel write(ForeignModel.Kind kind, Path directory, LabeledImages train, int steps,
            long seed, Exporter exporter) throws IOException {
        startTensorFlow();
        List<Weight> weights = ForeignArchitectures.weights(kind);
        FixtureTraining.Trained trained = FixtureTraining.train(kind, weights, train, steps, seed);
        Map<String, String> keys = keys(kind, weights);
        List<Tf2SavedModel.Variable> variables = new ArrayList<>();
        List<String> modelVariables = new ArrayList<>();
        Map<String, float[]> byKey = new LinkedHashMap<>();
        List<String> kernels = new ArrayList<>();
        for (Weight w : weights) {
            String node = node(kind, weights, w);
            float[] values = trained.values().get(w.id());
            variables.add(Tf2SavedModel.Variable.floats(node, keys.get(w.id()), w.shape(), values));
            modelVariables.add(node);
            byKey.put(keys.get(w.id()), trained.values().get(w.id()));
            if (w.name().equals("kernel") || (w.name().equals("weight"))) {
                kernels.add(keys.get(w.id()));
            }
        }
        variables.addAll(optimizerVariables(kind, weights, keys, trained, steps));
        FunctionDef model = modelFunction(kind, weights, modelVariables);
        Tf2SavedModel.write(directory, new Tf2SavedModel.Spec(kind.inputName(), kind.inputShape().stream()
                .mapToLong(Long::longValue).toArray(), kind.outputName(), model, modelVariables, variables,
                kind == ForeignModel.Kind.KERAS_CNN ? 1 : kind == ForeignModel.Kind.OPS_ZOO ? 2 : 0,
                Tf2SavedModel.Exporter.valueOf(exporter.name())));
        return new ForeignModel(kind, directory, byKey, kernels);
    }

    /** Logits of a {@code kind} network with these weights (by checkpoint key) for every image of {@code data}. */
    public static float[] referenceLogits(ForeignModel.Kind kind, Map<String, float[]> weightsByKey,
            LabeledImages data) {
        startTensorFlow();
        List<Weight> weights = ForeignArchitectures.weights(kind);
        Map<String, String> keys = keys(kind, weights);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Map<String, Operand<TFloat32>> constants = new HashMap<>();
            for (Weight w : weights) {
                float[] values = weightsByKey.get(keys.get(w.id()));
                constants.put(w.id(), tf.constant(Shape.of(w.shape()), DataBuffers.of(values, true, false)));
            }
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            Operand<TFloat32> logits = ForeignArchitectures.logits(kind,
                    new Context(tf, constants, Mode.REFERENCE, new HashMap<>()), x);
            float[] all = new float[data.count() * 10];
            for (int from = 0; from < data.count(); from += 256) {
                int n = Math.min(256, data.count() - from);
                try (TFloat32 images = FixtureTraining.images(kind, data, FixtureTraining.sequence(from, n), n);
                        Result result = session.runner().feed(x, images).fetch(logits).run()) {
                    ((TFloat32) result.get(0)).copyTo(DataBuffers.of(all, false, false).offset(from * 10L));
                }
            }
            return all;
        }
    }

    /**
     * Top-1 of the SavedModel itself in a plain TensorFlow session (no DJL), fed as the kind's producer declares
     * (its scale, its layout).
     */
    public static double savedModelTop1(ForeignModel.Kind kind, Path directory, LabeledImages data)
            throws io.prunestream.tensorflow.TensorFlowException {
        try (io.prunestream.tensorflow.SavedModelRunner runner = io.prunestream.tensorflow.SavedModelRunner.open(
                directory, "serving_default", kind.inputName(), kind.outputName(), kind.preprocessing())) {
            // Probabilities rank as their logits do.
            return top1(runner.run(data, 0, data.count()), data);
        }
    }

    /**
     * A SavedModel with nothing to prune, laid out as TF2 writes one (like TF Serving's half_plus_two): its function
     * computes {@code a * x + b} with two scalar variables.
     */
    public static Path writeWithoutKernels(Path directory) throws IOException {
        startTensorFlow();
        FunctionDef model;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            List<GraphFunctions.Argument> arguments = new ArrayList<>(List.of(new GraphFunctions.Argument("x", "x",
                    DataType.DT_FLOAT)));
            List<Operand<TFloat32>> reads = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                Output<?> resource = graph.opBuilder("Placeholder", name, tf.scope())
                        .setAttr("dtype", DataType.DT_RESOURCE).build().output(0);
                reads.add(ForeignArchitectures.floats(graph.opBuilder("ReadVariableOp", name + "/ReadVariableOp",
                        tf.scope()).addInput(resource).setAttr("dtype", DataType.DT_FLOAT).build().output(0)));
                arguments.add(new GraphFunctions.Argument(name, name + "_readvariableop_resource",
                        DataType.DT_RESOURCE));
            }
            Operand<TFloat32> y = tf.withName("Identity").identity(tf.math.add(tf.math.mul(reads.get(0), x),
                    reads.get(1)));
            model = GraphFunctions.function(graph.toGraphDef(), "__inference_predict_235", arguments,
                    Map.of("identity", y.op().name()));
        }
        Tf2SavedModel.write(directory, new Tf2SavedModel.Spec("x", new long[] {-1, 1}, "y", model, List.of("a", "b"),
                List.of(Tf2SavedModel.Variable.floats("a", "a/.ATTRIBUTES/VARIABLE_VALUE", new long[0],
                        new float[] {0.5f}), Tf2SavedModel.Variable.floats("b", "b/.ATTRIBUTES/VARIABLE_VALUE",
                                new long[0], new float[] {2f})), 0));
        return directory;
    }

    /** The share of {@code data} whose top logit is its label. */
    public static double top1(float[] logits, LabeledImages data) {
        long correct = 0;
        for (int i = 0; i < data.count(); i++) {
            correct += Logits.rank(logits, i * 10, 10, data.label(i)) == 0 ? 1 : 0;
        }
        return (double) correct / data.count();
    }

    private static void startTensorFlow() {
        try {
            TensorFlowRuntime.start();
        } catch (io.prunestream.tensorflow.TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The model function: the kind's export graph with its weights as resource arguments. */
    private static FunctionDef modelFunction(ForeignModel.Kind kind, List<Weight> weights, List<String> nodes) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            List<GraphFunctions.Argument> arguments = new ArrayList<>();
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            arguments.add(new GraphFunctions.Argument("x", kind.inputName(), DataType.DT_FLOAT));
            Map<String, Operand<TFloat32>> reads = new HashMap<>();
            for (int i = 0; i < weights.size(); i++) {
                Weight w = weights.get(i);
                String placeholder = "resource_" + i;
                Output<?> resource = graph.opBuilder("Placeholder", placeholder, tf.scope())
                        .setAttr("dtype", DataType.DT_RESOURCE).build().output(0);
                Output<TFloat32> read = ForeignArchitectures.floats(graph.opBuilder("ReadVariableOp",
                        (kind.keras() ? "sequential/" : "model/") + w.id() + "/ReadVariableOp", tf.scope())
                        .addInput(resource).setAttr("dtype", DataType.DT_FLOAT).build().output(0));
                reads.put(w.id(), read);
                String argument = (kind.keras() ? "sequential_" : "model_") + w.id().replace('/', '_')
                        + "_readvariableop_resource";
                arguments.add(new GraphFunctions.Argument(placeholder, argument, DataType.DT_RESOURCE));
            }
            Operand<TFloat32> logits = ForeignArchitectures.logits(kind, new Context(tf, reads, Mode.EXPORT,
                    new HashMap<>()), x);
            Operand<TFloat32> output = kind.softmax() ? tf.withSubScope("sequential").withSubScope(kind.outputName())
                    .nn.softmax(logits) : logits;
            Operand<TFloat32> identity = tf.withName("Identity").identity(output);
            return GraphFunctions.function(graph.toGraphDef(), "__inference__wrapped_model_" + (1234 + kind.ordinal()),
                    arguments, Map.of("identity", identity.op().name()));
        }
    }

    /** Checkpoint keys: Keras' per-layer object paths, or a module's attribute paths. */
    private static Map<String, String> keys(ForeignModel.Kind kind, List<Weight> weights) {
        Map<String, String> keys = new HashMap<>();
        List<String> layers = new ArrayList<>();
        for (Weight w : weights) {
            if (!layers.contains(w.layer())) {
                layers.add(w.layer());
            }
            String path = kind.keras() ? "layer_with_weights-" + layers.indexOf(w.layer()) + "/" + w.name()
                    : w.id();
            keys.put(w.id(), path + "/.ATTRIBUTES/VARIABLE_VALUE");
        }
        return keys;
    }

    /** Keras names variable nodes after the layer; plain tf.Variables are Variable, Variable_1, ... */
    private static String node(ForeignModel.Kind kind, List<Weight> weights, Weight w) {
        if (kind.keras()) {
            return w.id();
        }
        int index = weights.indexOf(w);
        return index == 0 ? "Variable" : "Variable_" + index;
    }

    /** The optimizer's variables as Keras saves them: legacy slots per weight, or the newer flat list. */
    private static List<Tf2SavedModel.Variable> optimizerVariables(ForeignModel.Kind kind, List<Weight> weights,
            Map<String, String> keys, FixtureTraining.Trained trained, int steps) {
        List<Tf2SavedModel.Variable> variables = new ArrayList<>();
        if (!kind.keras() || kind == ForeignModel.Kind.KERAS_MLP_WIDE) {
            return variables;
        }
        boolean legacy = kind == ForeignModel.Kind.KERAS_CNN || kind == ForeignModel.Kind.KERAS_MLP_RAW;
        if (legacy) {
            variables.add(Tf2SavedModel.Variable.counter("Adam/iter", "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE",
                    steps));
            for (String hyper : List.of("beta_1", "beta_2", "decay", "learning_rate")) {
                variables.add(Tf2SavedModel.Variable.floats("Adam/" + hyper, "optimizer/" + hyper
                        + "/.ATTRIBUTES/VARIABLE_VALUE", new long[0], new float[] {hyper.equals("beta_1") ? 0.9f
                                : hyper.equals("beta_2") ? 0.999f : hyper.equals("decay") ? 0f
                                : FixtureTraining.LEARNING_RATE}));
            }
        } else {
            variables.add(Tf2SavedModel.Variable.counter("iteration", "optimizer/_iterations/.ATTRIBUTES/"
                    + "VARIABLE_VALUE", steps));
            variables.add(Tf2SavedModel.Variable.floats("learning_rate", "optimizer/_learning_rate/.ATTRIBUTES/"
                    + "VARIABLE_VALUE", new long[0], new float[] {FixtureTraining.LEARNING_RATE}));
        }
        int slot = 1;
        for (Weight w : weights) {
            if (!w.trainable()) {
                continue;
            }
            for (String moment : List.of("m", "v")) {
                float[] values = (moment.equals("m") ? trained.m() : trained.v()).get(w.id());
                String key = legacy ? keys.get(w.id()).replace("/.ATTRIBUTES/VARIABLE_VALUE", "")
                        + "/.OPTIMIZER_SLOT/optimizer/" + moment + "/.ATTRIBUTES/VARIABLE_VALUE"
                        : "optimizer/_variables/" + slot++ + "/.ATTRIBUTES/VARIABLE_VALUE";
                String node = legacy ? "Adam/" + w.id() + "/" + moment : "Adam/" + moment + "/" + w.id();
                variables.add(Tf2SavedModel.Variable.floats(node, key, w.shape(), values));
            }
        }
        return variables;
    }
}
