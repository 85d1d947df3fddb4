package io.prunestream.tensorflow;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.PipelineFailure;
import io.prunestream.events.Preprocessing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private final List<Long> inputShape;
    private final String outputTensor;
    private final Path directory;
    private final Preprocessing preprocessing;

    private SavedModelRunner(Path directory, SavedModelBundle bundle, TensorInfo input, String outputTensor,
            Preprocessing preprocessing) {
        this.directory = directory;
        this.bundle = bundle;
        this.inputTensor = input.getName();
        this.inputShape = new ArrayList<>();
        input.getTensorShape().getDimList().forEach(dim -> inputShape.add(dim.getSize()));
        this.outputTensor = outputTensor;
        this.preprocessing = preprocessing;
    }

    /** Loads {@code directory} (tag serve) for the named signature, input and output; pixels fed as x/255. */
    public static SavedModelRunner open(Path directory, String signatureKey, String input, String output)
            throws TensorFlowException {
        return open(directory, signatureKey, input, output, Preprocessing.DEFAULT);
    }

    /**
     * Loads {@code directory} (tag serve) for the named signature, input and output; images are fed as
     * {@code preprocessing} says, in the layout the input's shape takes ({@link ModelInput}).
     */
    public static SavedModelRunner open(Path directory, String signatureKey, String input, String output,
            Preprocessing preprocessing) throws TensorFlowException {
        return open(directory, signatureKey, input, output, preprocessing, false);
    }

    /**
     * As {@link #open(Path, String, String, String, Preprocessing)}, in a session rewritten to run in bfloat16 where
     * {@code bfloat16} ({@link SessionConfigs#bfloat16()}).
     */
    public static SavedModelRunner open(Path directory, String signatureKey, String input, String output,
            Preprocessing preprocessing, boolean bfloat16) throws TensorFlowException {
        TensorFlowRuntime.start();
        SavedModelBundle bundle;
        try {
            SavedModelBundle.Loader loader = SavedModelBundle.loader(directory.toString())
                    .withTags(SavedModelInspector.SERVE_TAG);
            if (bfloat16) {
                loader.withConfigProto(SessionConfigs.bfloat16Config());
            }
            bundle = loader.load();
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot load SavedModel " + directory + ": " + e.getMessage(), e);
        }
        try {
            SignatureDef signature = bundle.metaGraphDef().getSignatureDefMap().get(signatureKey);
            if (signature == null) {
                throw new TensorFlowException("SavedModel " + directory + " has no signature '" + signatureKey + "'");
            }
            return new SavedModelRunner(directory, bundle, tensor(signature.getInputsMap(), input, directory),
                    tensor(signature.getOutputsMap(), output, directory).getName(), preprocessing);
        } catch (TensorFlowException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static TensorInfo tensor(Map<String, TensorInfo> tensors, String name, Path directory)
            throws TensorFlowException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new TensorFlowException("SavedModel " + directory + ": the signature has no tensor '" + name
                    + "' (it has " + tensors.keySet() + ")");
        }
        return info;
    }

    /**
     * The output for images {@code [from, from + count)} of {@code data}, fed as the input's shape and this runner's
     * preprocessing say ({@link ModelInput}); returns the output flattened, row-major.
     */
    public float[] run(LabeledImages data, int from, int count) throws TensorFlowException {
        ModelInput input = input(data);
        return run(input.values(data, from, count), input.batchShape(count));
    }

    /** How this runner feeds images of {@code data}: as its preprocessing says, in the layout its input takes. */
    public ModelInput input(LabeledImages data) throws TensorFlowException {
        try {
            return ModelInput.resolve(inputShape, data.shape(), preprocessing);
        } catch (PipelineFailure e) {
            throw new TensorFlowException("SavedModel " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The output for input values already in the input's layout ({@link #input}), of {@code shape}. */
    public float[] run(float[] values, long[] shape) throws TensorFlowException {
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
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
