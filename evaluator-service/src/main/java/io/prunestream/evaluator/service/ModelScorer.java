package io.prunestream.evaluator.service;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.FailureReason;
import io.prunestream.events.InputFeed;
import io.prunestream.events.PipelineFailure;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.tensorflow.SavedModelInfo;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SignatureInfo;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one SavedModel on images with DJL's TensorFlow engine, on the device DJL picks (a GPU when it finds one),
 * the images fed as {@link ModelInput} says. One model, one predictor and one NDManager per batch, all closed; scores
 * come from the {@code logits} output, or from the signature's first output when there is none (taken as
 * probabilities if its rows are distributions), and must give one score per class of the dataset
 * ({@link ScoreTally}). The split is fed in its order; a variant scored sequentially stops at the batch after which its
 * {@link SequentialStop} says so.
 */
final class ModelScorer {

    private ModelScorer() {
    }

    /** Untimed single-image calls before the timed ones: the first calls of a model pay for graph set-up. */
    private static final int LATENCY_WARM_UP = 5;

    /**
     * @param stop the stopping rule of a variant scored sequentially; null to score the whole split
     */
    static Score score(Path model, ServingSignature signature, Preprocessing preprocessing, PreparedSplit split,
            int classes, ScoringSession session, int latencySamples, SequentialStop stop) throws EvaluationFailure {
        ImageSplit data = split.data();
        ModelInput input = split.input();
        long started = System.nanoTime();
        Engine engine;
        try {
            engine = TensorFlowRuntime.start();
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String output = checkSignature(model, signature, classes);
        Device device = engine.defaultDevice();
        Criteria.Builder<NDList, NDList> builder = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(model).optEngine(engine.getEngineName()).optDevice(device)
                .optOption("SignatureDefKey", signature.key());
        session.options(device).forEach(builder::optOption);
        Criteria<NDList, NDList> criteria = builder.build();
        ScoreTally tally = new ScoreTally(classes, "logits".equals(output));
        double[] latencies = new double[split.batches()];
        int scored = 0;
        Double latency;
        ByteBuffer first = null;
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel();
                Predictor<NDList, NDList> predictor = zoo.newPredictor()) {
            for (int b = 0; b < split.batches(); b++) {
                int from = split.from(b);
                int n = split.size(b);
                ByteBuffer values = buffer(split, b);
                first = first == null ? values.duplicate() : first;
                float[] scores;
                // Timed: the batch copied into a tensor, the model run, its scores copied out.
                long t = System.nanoTime();
                try (NDManager batch = zoo.getNDManager().newSubManager()) {
                    NDArray images = batch.create(values, new Shape(input.batchShape(n)), DataType.FLOAT32);
                    images.setName(signature.inputName());
                    NDList outputs = predictor.predict(new NDList(images));
                    NDArray result = outputs.get(output);
                    scores = (result == null ? outputs.singletonOrThrow() : result).toFloatArray();
                }
                latencies[b] = (System.nanoTime() - t) / 1e6;
                scored = b + 1;
                String misfit = scores.length % n != 0 ? "it gives " + scores.length + " scores for " + n + " images"
                        : ScoreTally.misfit(scores.length / n, classes);
                if (misfit != null) {
                    throw new EvaluationFailure(FailureReason.OUTPUT_MISMATCH, "output '" + output + "' of " + model
                            + " cannot be scored on this dataset: " + misfit);
                }
                tally.add(scores, n, i -> data.label(split.image(from + i)));
                if (stop != null && stop.observe(tally::isCorrect, from, n) != null) {
                    break;
                }
            }
            latency = latencySamples > 0 && first != null
                    ? singleImageLatency(zoo, predictor, signature, input, first, latencySamples) : null;
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new EvaluationFailure(FailureReason.CORRUPT_MODEL, "DJL cannot load " + model + ": "
                    + e.getMessage(), e);
        } catch (TranslateException | RuntimeException e) {
            throw new EvaluationFailure(FailureReason.CORRUPT_MODEL, "DJL cannot run " + model + ": "
                    + e.getMessage(), e);
        }
        double busy = Arrays.stream(latencies).sum() / 1000;
        double[] sorted = Arrays.copyOf(latencies, scored);
        Arrays.sort(sorted);
        return new Score(tally.top1(), tally.top5(), tally.loss(), tally.images(), name(device),
                tally.images() / busy, split.batchSize(), percentile(sorted, 0.5), percentile(sorted, 0.95),
                (System.nanoTime() - started) / 1_000_000, latency, new InputFeed(input.shape(), preprocessing),
                session.precision(device), tally.correctness());
    }

    /** Batch {@code b} of {@code split}; an image that cannot be decoded fails the evaluation, named. */
    private static ByteBuffer buffer(PreparedSplit split, int b) throws EvaluationFailure {
        try {
            return split.buffer(b);
        } catch (DatasetException e) {
            throw new EvaluationFailure(FailureReason.MISSING_DATASET, e.detail(), e);
        }
    }

    /** The median wall time, in ms, of one call with one image (the first batch's images, in turn). */
    private static double singleImageLatency(ZooModel<NDList, NDList> zoo, Predictor<NDList, NDList> predictor,
            ServingSignature signature, ModelInput input, ByteBuffer firstBatch, int samples)
            throws TranslateException {
        double[] times = new double[samples];
        int imageBytes = 4 * input.valuesPerImage();
        int count = firstBatch.remaining() / imageBytes;
        for (int call = 0; call < LATENCY_WARM_UP + samples; call++) {
            int image = call % count;
            ByteBuffer one = firstBatch.duplicate().order(ByteOrder.nativeOrder());
            one.position(image * imageBytes).limit((image + 1) * imageBytes);
            try (NDManager manager = zoo.getNDManager().newSubManager()) {
                NDArray images = manager.create(one.slice().order(ByteOrder.nativeOrder()), new Shape(
                        input.batchShape(1)), DataType.FLOAT32);
                images.setName(signature.inputName());
                long t = System.nanoTime();
                predictor.predict(new NDList(images)).get(0).toFloatArray();
                if (call >= LATENCY_WARM_UP) {
                    times[call - LATENCY_WARM_UP] = (System.nanoTime() - t) / 1e6;
                }
            }
        }
        Arrays.sort(times);
        return percentile(times, 0.5);
    }

    /**
     * The output to score; refuses a signature without the event's input or any of its outputs, and an output whose
     * shape says another number of classes than the dataset's.
     */
    static String checkSignature(Path model, ServingSignature signature, int classes)
            throws EvaluationFailure {
        SavedModelInfo inspected;
        try {
            inspected = SavedModelInspector.inspect(model);
        } catch (TensorFlowException e) {
            throw new EvaluationFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
        SignatureInfo info = inspected.signatures().get(signature.key());
        if (info == null) {
            throw new EvaluationFailure(FailureReason.SIGNATURE_MISMATCH, "SavedModel " + model + " has no signature '"
                    + signature.key() + "' (it has " + inspected.signatures().keySet() + ")");
        }
        if (!info.inputs().containsKey(signature.inputName())) {
            throw new EvaluationFailure(FailureReason.SIGNATURE_MISMATCH, "signature '" + signature.key() + "' of "
                    + model + " has no input '" + signature.inputName() + "' (it has " + info.inputs().keySet() + ")");
        }
        List<String> outputs = signature.outputNames().stream().filter(info.outputs()::containsKey).toList();
        if (outputs.isEmpty()) {
            throw new EvaluationFailure(FailureReason.SIGNATURE_MISMATCH, "signature '" + signature.key() + "' of "
                    + model + " has none of the outputs " + signature.outputNames() + " (it has "
                    + info.outputs().keySet() + ")");
        }
        String output = outputs.contains("logits") ? "logits" : outputs.get(0);
        List<Long> shape = info.outputs().get(output).shape();
        long last = shape.isEmpty() ? -1 : shape.get(shape.size() - 1);
        String misfit = last > 0 ? ScoreTally.misfit(last, classes) : null;
        if (misfit != null) {
            throw new EvaluationFailure(FailureReason.OUTPUT_MISMATCH, "output '" + output + "' " + shape + " of "
                    + model + " cannot be scored on this dataset: " + misfit);
        }
        return output;
    }

    /**
     * How the dataset's images are fed to the input: channels, size and scaling as declared, in the layout its shape
     * takes (the declared one where two fit). Refused by name: an input no layout, size or channel count of the images
     * fits ({@code input-shape-mismatch}), a mean or std of the wrong length ({@code invalid-preprocessing}).
     */
    static ModelInput input(ServingSignature signature, Preprocessing preprocessing, ImageSplit data)
            throws EvaluationFailure {
        try {
            return ModelInput.resolve(signature.inputShape(), data.shape(), preprocessing);
        } catch (PipelineFailure e) {
            throw EvaluationFailure.of(e, "input '" + signature.inputName() + "': ");
        }
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    static String name(Device device) {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    }
}
