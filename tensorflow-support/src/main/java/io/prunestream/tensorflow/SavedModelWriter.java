package io.prunestream.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a copy of a SavedModel with some float variables replaced. Every other file (the graph, assets) is copied
 * byte for byte, and every other checkpoint tensor (biases, batch-norm statistics, optimizer slots, counters) is
 * restored from the source and saved again untouched: a SavedModel whose checkpoint lacks any variable does not load.
 */
public final class SavedModelWriter {

    private SavedModelWriter() {
    }

    /**
     * @param source the model's weights as read by {@link SavedModelReader}
     * @param target an empty or missing directory (callers that need atomicity stage it and rename afterwards)
     * @param replacements new values by checkpoint key; each must be a float variable of the same size
     */
    public static void write(ModelWeights source, Path target, Map<String, float[]> replacements)
            throws TensorFlowException {
        write(source, target, replacements.keySet(), replacements::get);
    }

    /**
     * New values of a variable, made when the writer reaches it: a model's replacements need not be in memory
     * together, each goes to native memory as soon as it is made.
     */
    @FunctionalInterface
    public interface Replacement<E extends Exception> {
        float[] values(String key) throws E;
    }

    /**
     * As {@link #write(ModelWeights, Path, Map)}, with the values of the {@code replaced} keys asked of
     * {@code replacement} one at a time.
     */
    public static <E extends Exception> void write(ModelWeights source, Path target, Set<String> replaced,
            Replacement<E> replacement) throws TensorFlowException, E {
        for (String key : replaced) {
            WeightTensor original = source.get(key);
            if (!original.isFloat()) {
                throw new TensorFlowException("variable '" + original.key() + "' of " + source.directory()
                        + " is " + original.spec().dtype() + ", only DT_FLOAT variables can be replaced");
            }
        }
        copyAllButVariables(source.directory(), target);
        saveVariables(source, target, replaced, replacement);
    }

    private static void copyAllButVariables(Path source, Path target) throws TensorFlowException {
        Path variables = source.resolve("variables");
        try {
            Files.createDirectories(target);
            try (Stream<Path> existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new TensorFlowException("cannot write a SavedModel into " + target + ": not empty");
                }
            }
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    if (path.equals(source) || path.startsWith(variables)) {
                        continue;
                    }
                    Path copy = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.createDirectories(target.resolve("variables"));
        } catch (IOException e) {
            throw new TensorFlowException("cannot copy SavedModel " + source + " to " + target + ": " + e, e);
        }
    }

    private static <E extends Exception> void saveVariables(ModelWeights source, Path target, Set<String> replaced,
            Replacement<E> replacement) throws TensorFlowException, E {
        List<String> kept = new ArrayList<>();
        List<String> keptTypes = new ArrayList<>();
        for (WeightTensor tensor : source.tensors()) {
            if (!replaced.contains(tensor.key())) {
                kept.add(tensor.key());
                keptTypes.add(tensor.spec().dtype());
            }
        }
        List<TFloat32> feeds = new ArrayList<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            List<Output<?>> restored = kept.isEmpty() ? List.of()
                    : Checkpoints.restore(tf, source.directory(), kept, keptTypes);
            List<String> keys = new ArrayList<>();
            List<Operand<?>> values = new ArrayList<>();
            Session.Runner runner = session.runner();
            int next = 0;
            for (WeightTensor tensor : source.tensors()) {
                keys.add(tensor.key());
                if (!replaced.contains(tensor.key())) {
                    values.add(restored.get(next++));
                    continue;
                }
                float[] array = replacement.values(tensor.key());
                if (array.length != tensor.spec().size()) {
                    throw new TensorFlowException("variable '" + tensor.key() + "' of " + source.directory()
                            + " has " + tensor.spec().size() + " values, the replacement " + array.length);
                }
                Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
                TFloat32 feed = TFloat32.tensorOf(shape(tensor.spec()), DataBuffers.of(array, true, false));
                feeds.add(feed);
                runner.feed(input, feed);
                values.add(input);
            }
            runner.addTarget(tf.train.save(tf.constant(Checkpoints.prefix(target).toString()),
                    Checkpoints.strings(tf, keys), Checkpoints.strings(tf, keys.stream().map(k -> "").toList()),
                    values));
            try (Result ignored = runner.run()) {
                // Saving is the target's side effect; there is nothing to fetch.
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot write the variables of " + target + " (from " + source.directory()
                    + "): " + e.getMessage(), e);
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    private static Shape shape(TensorSpec spec) {
        return Shape.of(spec.shape().stream().mapToLong(Long::longValue).toArray());
    }
}
