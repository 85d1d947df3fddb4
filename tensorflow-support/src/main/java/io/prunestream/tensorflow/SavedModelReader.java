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

    public static ModelWeights read(SavedModelInfo model) throws TensorFlowException {
        Path directory = model.directory();
        Checkpoints.requireIndex(directory);
        List<String> keys = new ArrayList<>(model.checkpointDtypes().keySet());
        List<String> dtypes = new ArrayList<>(model.checkpointDtypes().values());
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            List<Output<?>> restored = Checkpoints.restore(Ops.create(graph), directory, keys, dtypes);
            Session.Runner runner = session.runner();
            restored.forEach(runner::fetch);
            try (Result result = runner.run()) {
                for (int i = 0; i < keys.size(); i++) {
                    Tensor tensor = result.get(i);
                    TensorSpec spec = new TensorSpec(dtypes.get(i), boxed(tensor.shape().asArray()));
                    tensors.put(keys.get(i), new WeightTensor(keys.get(i), spec, floats(tensor, spec)));
                }
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot read the variables of SavedModel " + directory + ": "
                    + e.getMessage(), e);
        }
        return new ModelWeights(model, tensors);
    }

    private static float[] floats(Tensor tensor, TensorSpec spec) {
        if (!spec.isFloat()) {
            return null;
        }
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        ((TFloat32) tensor).copyTo(DataBuffers.of(values, false, false));
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
