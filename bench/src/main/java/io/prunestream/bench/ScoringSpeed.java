package io.prunestream.bench;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.Preprocessing;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.training.ImageTensors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a SavedModel on the test split with a raw TensorFlow session (the evaluator's DJL path without DJL), in the
 * evaluator's batches, and exports what PyTorch needs to run the same network on the same data: every float tensor
 * of the checkpoint, the test images as the model receives them, the labels and the standardisation constants.
 *
 * <p>{@code ScoringSpeed <model folder> <dataset folder> <export folder> <results.json> [runs] [warmup] [batch]
 * [float32|bfloat16]}
 *
 * <p>Images/s counts, as the evaluator does, the time of the session runs alone (copying a batch into a tensor,
 * running it and copying the logits out); the pixels are converted to floats outside the timed region, once, as the
 * evaluator keeps a split converted. {@code bfloat16} runs the session rewritten as
 * {@code evaluator.precision=bfloat16} rewrites it, and exports nothing.
 */
public final class ScoringSpeed {

    private ScoringSpeed() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ScoringSpeed <model folder> <dataset folder> <export folder> <results.json>"
                    + " [runs] [warmup] [batch] [float32|bfloat16]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path export = Path.of(args[2]);
        Path results = Path.of(args[3]);
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        int batch = args.length > 6 ? Integer.parseInt(args[6]) : 256;
        String precision = args.length > 7 ? args[7] : "float32";
        if (!precision.equals("float32") && !precision.equals("bfloat16")) {
            throw new IllegalArgumentException("precision: '" + precision + "' is not float32 or bfloat16");
        }
        TensorFlowRuntime.start();
        io.prunestream.datasets.Splits splits = BenchIo.splits(data);
        LabeledImages test = splits.test();
        Files.createDirectories(export);
        if (precision.equals("float32")) {
            exportForPyTorch(model, splits.train(), test, export);
        }

        int[] correct = new int[1];
        double medianMs;
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", "image", "logits",
                Preprocessing.DEFAULT, precision.equals("bfloat16"))) {
            // Converted once, as the evaluator keeps a split converted: the timed part is the same as its own.
            ModelInput input = runner.input(test);
            List<float[]> batches = new ArrayList<>();
            for (int from = 0; from < test.count(); from += batch) {
                batches.add(input.values(test, from, Math.min(batch, test.count() - from)));
            }
            medianMs = BenchIo.medianMillis(runs, warmup, () -> scoreNanos(runner, input, batches, test, correct));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", model.toString());
        row.put("images", test.count());
        row.put("batchSize", batch);
        row.put("precision", precision);
        row.put("runs", runs);
        row.put("warmup", warmup);
        row.put("top1", (double) correct[0] / test.count());
        row.put("medianScoringMs", medianMs);
        row.put("imagesPerSecond", test.count() / (medianMs / 1000));
        row.put("tensorflow", TensorFlowRuntime.versions());
        BenchIo.createParent(results);
        BenchIo.writeJson(results, row);
        System.out.println(row);
    }

    /**
     * Time of the session runs over the split, in its prepared batches (each copied into a tensor, run, its scores
     * copied out); the number of correct top-1 goes to {@code correct}.
     */
    private static long scoreNanos(SavedModelRunner runner, ModelInput input, List<float[]> batches,
            LabeledImages test, int[] correct) {
        long busy = 0;
        int right = 0;
        int from = 0;
        for (float[] values : batches) {
            int n = values.length / input.valuesPerImage();
            float[] logits;
            long t = System.nanoTime();
            try {
                logits = runner.run(values, input.batchShape(n));
            } catch (TensorFlowException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            busy += System.nanoTime() - t;
            int classes = logits.length / n;
            for (int i = 0; i < n; i++) {
                right += Logits.rank(logits, i * classes, classes, test.label(from + i)) == 0 ? 1 : 0;
            }
            from += n;
        }
        correct[0] = right;
        return busy;
    }

    /** tensors.json, tensors.f32 (little-endian, row-major), images.f32 ([n, rows, columns, 1]), labels.u8. */
    private static void exportForPyTorch(Path model, LabeledImages train, LabeledImages test, Path export)
            throws IOException, TensorFlowException {
        ModelWeights weights = SavedModelReader.read(model);
        List<Map<String, Object>> tensors = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(export.resolve("tensors.f32"))) {
            for (WeightTensor tensor : weights.tensors()) {
                // The optimizer's slots (train/...) are in the checkpoint too; inference needs none of them.
                if (tensor.isFloat() && !tensor.key().startsWith("train/")) {
                    tensors.add(Map.of("name", tensor.key(), "shape", tensor.spec().shape()));
                    writeFloats(out, tensor.values());
                }
            }
        }
        float[] stats = ImageTensors.pixelStatistics(train);
        BenchIo.writeJson(export.resolve("tensors.json"), Map.of("pixelMean", stats[0], "pixelStd", stats[1],
                "rows", test.rows(), "columns", test.columns(), "count", test.count(), "tensors", tensors));
        float[] pixels = ModelInput.nhwc(test.rows(), test.columns(), test.channels()).values(test, 0, test.count());
        try (OutputStream out = Files.newOutputStream(export.resolve("images.f32"))) {
            writeFloats(out, pixels);
        }
        byte[] labels = new byte[test.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) test.label(i);
        }
        Files.write(export.resolve("labels.u8"), labels);
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }
}
