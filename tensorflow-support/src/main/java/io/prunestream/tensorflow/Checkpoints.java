package io.prunestream.tensorflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Constant;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/** What reading and writing a SavedModel's variables share: the checkpoint prefix and the restore op. */
final class Checkpoints {

    private Checkpoints() {
    }

    /** The prefix of a SavedModel's checkpoint files ({@code variables/variables.index} and its data shards). */
    static Path prefix(Path modelDirectory) {
        return modelDirectory.resolve("variables").resolve("variables");
    }

    static void requireIndex(Path modelDirectory) throws TensorFlowException {
        Path index = Path.of(prefix(modelDirectory) + ".index");
        if (!Files.isRegularFile(index)) {
            throw new TensorFlowException("SavedModel " + modelDirectory + " has no variables file (" + index
                    + " is missing)");
        }
    }

    /** A {@code RestoreV2} op that reads the given keys (whole tensors) from a model's checkpoint. */
    static List<org.tensorflow.Output<?>> restore(Ops tf, Path modelDirectory, List<String> keys, List<String> dtypes)
            throws TensorFlowException {
        List<Class<? extends TType>> types = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            types.add(typeClass(dtypes.get(i), keys.get(i)));
        }
        return tf.train.restore(tf.constant(prefix(modelDirectory).toString()), strings(tf, keys),
                strings(tf, keys.stream().map(k -> "").toList()), types).tensors();
    }

    static Constant<TString> strings(Ops tf, List<String> values) {
        return tf.constant(Shape.of(values.size()), DataBuffers.ofObjects(values.toArray(String[]::new)));
    }

    private static Class<? extends TType> typeClass(String dtype, String key) throws TensorFlowException {
        try {
            return TensorTypeRegistry.find(DataType.valueOf(dtype)).type();
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("variable '" + key + "' has data type " + dtype
                    + ", which TensorFlow Java cannot hold", e);
        }
    }
}
