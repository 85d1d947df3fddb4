package io.prunestream.tensorflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Reads every variable of a SavedModel's checkpoint; float ones into Java arrays. */
public final class SavedModelReader {

    private SavedModelReader() {
    }

    public static ModelWeights read(Path modelDirectory) throws TensorFlowException {
        return read(SavedModelInspector.inspect(modelDirectory));
    }

    /** Every variable, float ones in memory. */
    public static ModelWeights read(SavedModelInfo model) throws TensorFlowException {
        return open(model, Long.MAX_VALUE);
    }

    /**
     * Every variable, float ones in memory when all of them together take at most {@code heapBytes}; otherwise each
     * float tensor's values are read from the checkpoint whenever they are asked for ({@link WeightTensor#inMemory}),
     * so a model larger than the heap can be pruned a kernel at a time. Every tensor is read once either way, so a
     * checkpoint that cannot be read is refused here.
     */
    public static ModelWeights open(SavedModelInfo model, long heapBytes) throws TensorFlowException {
        Path directory = model.directory();
        Checkpoints.requireIndex(directory);
        List<String> keys = new ArrayList<>(model.checkpointDtypes().keySet());
        List<String> dtypes = new ArrayList<>(model.checkpointDtypes().values());
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            List<Output<?>> restored = Checkpoints.restore(Ops.create(graph), directory, keys, dtypes);
            Session.Runner runner = session.runner();
            restored.forEach(runner::fetch);
            // The tensors are native memory until copied: their sizes decide whether they are.
            try (Result result = runner.run()) {
                List<TensorSpec> specs = new ArrayList<>();
                long floatBytes = 0;
                for (int i = 0; i < keys.size(); i++) {
                    TensorSpec spec = new TensorSpec(dtypes.get(i), boxed(result.get(i).shape().asArray()));
                    specs.add(spec);
                    floatBytes += spec.isFloat() ? 4 * spec.size() : 0;
                }
                boolean inMemory = floatBytes <= heapBytes;
                for (int i = 0; i < keys.size(); i++) {
                    TensorSpec spec = specs.get(i);
                    String key = keys.get(i);
                    tensors.put(key, inMemory || !spec.isFloat() ? new WeightTensor(key, spec, floats(result.get(i),
                            spec)) : WeightTensor.onDisk(key, spec, k -> readFloats(directory, k)));
                }
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot read the variables of SavedModel " + directory + ": "
                    + e.getMessage(), e);
        }
        return new ModelWeights(model, tensors);
    }

    /** One float tensor of a model's checkpoint, read now. */
    private static float[] readFloats(Path directory, String key) throws TensorFlowException {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Output<?> restored = Checkpoints.restore(Ops.create(graph), directory, List.of(key),
                    List.of(TensorSpec.FLOAT)).get(0);
            try (Result result = session.runner().fetch(restored).run()) {
                return copy((TFloat32) result.get(0));
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot read variable '" + key + "' of SavedModel " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private static float[] floats(Tensor tensor, TensorSpec spec) {
        return spec.isFloat() ? copy((TFloat32) tensor) : null;
    }

    private static float[] copy(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    private static List<Long> boxed(long[] dims) {
        List<Long> list = new ArrayList<>(dims.length);
        for (long dim : dims) {
            list.add(dim);
        }
        return list;
    }
}
