package io.prunestream.tensorflow;

import io.prunestream.datasets.LabeledImages;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/**
 * Runs one output of a SavedModel's signature over images in a plain TensorFlow session (no DJL): what the
 * benchmarks compare DJL against, and a quick way to score a model in tools. Not thread-safe; close it.
 */
public final class SavedModelRunner implements AutoCloseable {

    private final SavedModelBundle bundle;
    private final String inputTensor;
    private final String outputTensor;
    private final Path directory;

    private SavedModelRunner(Path directory, SavedModelBundle bundle, String inputTensor, String outputTensor) {
        this.directory = directory;
        this.bundle = bundle;
        this.inputTensor = inputTensor;
        this.outputTensor = outputTensor;
    }

    /** Loads {@code directory} (tag serve) for the named signature, input and output. */
    public static SavedModelRunner open(Path directory, String signatureKey, String input, String output)
            throws TensorFlowException {
        TensorFlowRuntime.start();
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(directory.toString(), SavedModelInspector.SERVE_TAG);
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot load SavedModel " + directory + ": " + e.getMessage(), e);
        }
        try {
            SignatureDef signature = bundle.metaGraphDef().getSignatureDefMap().get(signatureKey);
            if (signature == null) {
                throw new TensorFlowException("SavedModel " + directory + " has no signature '" + signatureKey + "'");
            }
            return new SavedModelRunner(directory, bundle, tensor(signature.getInputsMap(), input, directory),
                    tensor(signature.getOutputsMap(), output, directory));
        } catch (TensorFlowException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static String tensor(Map<String, TensorInfo> tensors, String name, Path directory)
            throws TensorFlowException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new TensorFlowException("SavedModel " + directory + ": the signature has no tensor '" + name
                    + "' (it has " + tensors.keySet() + ")");
        }
        return info.getName();
    }

    /**
     * The output for images {@code [from, from + count)} of {@code data}, pixels scaled to [0, 1], fed as
     * {@code [count, rows, columns, channels]}; returns the output flattened, row-major.
     */
    public float[] run(LabeledImages data, int from, int count) throws TensorFlowException {
        int pixels = data.pixelsPerImage();
        float[] values = new float[count * pixels];
        byte[] source = data.pixels();
        for (int i = 0; i < values.length; i++) {
            values[i] = (source[from * pixels + i] & 0xFF) / 255f;
        }
        long channels = pixels / ((long) data.rows() * data.columns());
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, data.rows(), data.columns(), channels),
                DataBuffers.of(values, true, false));
                Result result = bundle.session().runner().feed(inputTensor, images).fetch(outputTensor).run()) {
            TFloat32 output = (TFloat32) result.get(0);
            float[] out = new float[Math.toIntExact(output.shape().size())];
            output.copyTo(DataBuffers.of(out, false, false));
            return out;
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot run SavedModel " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
