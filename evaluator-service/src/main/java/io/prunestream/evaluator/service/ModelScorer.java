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
import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.events.InputFeed;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SignatureInfo;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one SavedModel on images with DJL's TensorFlow engine, on the device DJL picks (a GPU when it finds one),
 * the images fed as {@link ModelInput} says. One model, one predictor and one NDManager per batch, all closed; scores
 * come from the {@code logits} output, or from the signature's first output when there is none (taken as
 * probabilities if its rows are distributions).
 */
final class ModelScorer {

    private ModelScorer() {
    }

    /** Untimed single-image calls before the timed ones: the first calls of a model pay for graph set-up. */
    private static final int LATENCY_WARM_UP = 5;

    static Score score(Path model, ServingSignature signature, Preprocessing preprocessing, PreparedSplit split,
            ScoringSession session, int latencySamples) throws EvaluationFailure {
        LabeledImages data = split.data();
        ModelInput input = split.input();
        long started = System.nanoTime();
        Engine engine;
        try {
            engine = TensorFlowRuntime.start();
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String output = checkSignature(model, signature);
        Device device = engine.defaultDevice();
        Criteria.Builder<NDList, NDList> builder = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(model).optEngine(engine.getEngineName()).optDevice(device)
                .optOption("SignatureDefKey", signature.key());
        session.options(device).forEach(builder::optOption);
        Criteria<NDList, NDList> criteria = builder.build();
        double lossSum = 0;
        long top1 = 0;
        long top5 = 0;
        double[] latencies = new double[split.batches()];
        Double latency;
        try (ZooModel<NDList, NDList> zoo = criteria.loadModel();
                Predictor<NDList, NDList> predictor = zoo.newPredictor()) {
            for (int b = 0; b < split.batches(); b++) {
                int from = split.from(b);
                int n = split.size(b);
                ByteBuffer values = split.buffer(b);
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
                int classes = scores.length / n;
                boolean probabilities = !"logits".equals(output) && looksLikeProbabilities(scores, classes);
                for (int i = 0; i < n; i++) {
                    int label = data.label(from + i);
                    int rank = Logits.rank(scores, i * classes, classes, label);
                    top1 += rank == 0 ? 1 : 0;
                    top5 += rank < 5 ? 1 : 0;
                    lossSum += probabilities ? -Math.log(Math.max(scores[i * classes + label], 1e-12))
                            : Logits.crossEntropy(scores, i * classes, classes, label);
                }
            }
            latency = latencySamples > 0 ? singleImageLatency(zoo, predictor, signature, input, data, latencySamples)
                    : null;
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new EvaluationFailure(FailureReason.CORRUPT_MODEL, "DJL cannot load " + model + ": "
                    + e.getMessage(), e);
        } catch (TranslateException | RuntimeException e) {
            throw new EvaluationFailure(FailureReason.CORRUPT_MODEL, "DJL cannot run " + model + ": "
                    + e.getMessage(), e);
        }
        double busy = Arrays.stream(latencies).sum() / 1000;
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Score((double) top1 / data.count(), (double) top5 / data.count(), lossSum / data.count(),
                data.count(), name(device), data.count() / busy, split.batchSize(), percentile(sorted, 0.5),
                percentile(sorted, 0.95), (System.nanoTime() - started) / 1_000_000, latency,
                new InputFeed(input.shape(), preprocessing), session.precision(device));
    }

    /** The median wall time, in ms, of one call with one image (the first test images, in turn). */
    private static double singleImageLatency(ZooModel<NDList, NDList> zoo, Predictor<NDList, NDList> predictor,
            ServingSignature signature, ModelInput input, LabeledImages data, int samples)
            throws TranslateException {
        double[] times = new double[samples];
        for (int call = 0; call < LATENCY_WARM_UP + samples; call++) {
            int image = call % data.count();
            try (NDManager one = zoo.getNDManager().newSubManager()) {
                NDArray images = one.create(input.values(data, image, 1), new Shape(input.batchShape(1)));
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

    /** The output to score; refuses a signature without the event's input or any of its outputs. */
    private static String checkSignature(Path model, ServingSignature signature) throws EvaluationFailure {
        SignatureInfo info;
        try {
            info = SavedModelInspector.inspect(model).signature(signature.key());
        } catch (TensorFlowException e) {
            FailureReason reason = e.getMessage().contains("no signature") ? FailureReason.SIGNATURE_MISMATCH
                    : FailureReason.CORRUPT_MODEL;
            throw new EvaluationFailure(reason, e.getMessage(), e);
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
        return outputs.contains("logits") ? "logits" : outputs.get(0);
    }

    /**
     * How the dataset's images are fed to the input: in the layout its shape takes (the declared one where two fit),
     * scaled as declared. An input no layout fits, or a mean/std of the wrong length, is refused by name.
     */
    static ModelInput input(ServingSignature signature, Preprocessing preprocessing, LabeledImages data)
            throws EvaluationFailure {
        PixelScaling scaling = new PixelScaling(preprocessing.scale(), preprocessing.meanValues(),
                preprocessing.stdValues());
        try {
            scaling.requireChannels(data.channels());
        } catch (IllegalArgumentException e) {
            throw new EvaluationFailure(FailureReason.INVALID_PREPROCESSING, "preprocessing." + e.getMessage(), e);
        }
        try {
            return ModelInput.resolve(signature.inputShape(), data.rows(), data.columns(), data.channels(),
                    ImageLayout.of(preprocessing.layout()), scaling);
        } catch (IllegalArgumentException e) {
            throw new EvaluationFailure(FailureReason.INPUT_SHAPE_MISMATCH, "input '" + signature.inputName()
                    + "': " + e.getMessage(), e);
        }
    }

    private static boolean looksLikeProbabilities(float[] scores, int classes) {
        for (int row = 0; row < scores.length / classes; row++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float v = scores[row * classes + c];
                if (v < 0) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                return false;
            }
        }
        return true;
    }



    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    static String name(Device device) {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    }
}
