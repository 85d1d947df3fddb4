package io.prunestream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.ZeroRecovery;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.Progress;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingListener;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the small CNN once per training method on the same data, seed and budget, and measures what makes a model
 * prunable: test accuracy per epoch, training throughput, the share of kernel weights with |w| below 0.01 and 0.05
 * per layer, and top-1 after zeroing the smallest 50/70/90% of every kernel (per layer, no recovery, no
 * fine-tuning) with pruning-core's threshold method, as the pruner does.
 *
 * <p>{@code TrainingMethods <dataset folder> <results.json> [epochs] [method ...]}
 */
public final class TrainingMethods {

    private static final double[] SPARSITIES = {0.5, 0.7, 0.9};
    private static final double[] LIMITS = {0.01, 0.05};

    private TrainingMethods() {
    }

    /** The methods compared, by name. */
    static Map<String, MethodSpec> methods() {
        Map<String, MethodSpec> methods = new LinkedHashMap<>();
        methods.put("plain", MethodSpec.plain());
        methods.put("hyperspherical", new MethodSpec(true, "none", 0.0, null, null, null, null));
        methods.put("hyperspherical+l1", new MethodSpec(true, "l1", 10.0, null, "layer", null, null));
        methods.put("hyperspherical+l1/weight", new MethodSpec(true, "l1", 10.0, null, "weight", null, null));
        methods.put("hyperspherical+quantile", new MethodSpec(true, "quantile", 10.0, null, "layer", 0.7, 1.5));
        methods.put("l1", new MethodSpec(false, "l1", 10.0, null, "layer", null, null));
        return methods;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TrainingMethods <dataset folder> <results.json> [epochs] [method ...]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path results = Path.of(args[1]);
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> names = args.length > 3 ? Arrays.asList(args).subList(3, args.length)
                : new ArrayList<>(methods().keySet());
        io.prunestream.datasets.Splits splits = BenchIo.splits(data);
        LabeledImages train = splits.train();
        LabeledImages test = splits.test();
        Path work = Files.createTempDirectory("training-methods-");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : names) {
            MethodSpec method = methods().get(name);
            if (method == null) {
                throw new IllegalArgumentException("unknown method '" + name + "' (known: " + methods().keySet() + ")");
            }
            rows.add(run(name, new TrainingSpec(null, null, method, 128, epochs, 42L, 100), train, test,
                    work.resolve(name.replace('/', '-'))));
        }
        BenchIo.createParent(results);
        ObjectMapper json = BenchIo.JSON;
        // Rows of methods not run this time are kept, so one method can be measured again on its own.
        List<Map<String, Object>> merged = new ArrayList<>();
        if (Files.exists(results)) {
            for (Map<String, Object> old : json.readValue(results.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { })) {
                if (!names.contains(String.valueOf(old.get("method")))) {
                    merged.add(old);
                }
            }
        }
        merged.addAll(rows);
        json.writeValue(results.toFile(), merged);
        System.out.println("wrote " + results);
    }

    private static Map<String, Object> run(String name, TrainingSpec spec, LabeledImages train, LabeledImages test,
            Path work) throws Exception {
        List<EpochResult> epochs = new ArrayList<>();
        Path model = work.resolve("model");
        long started = System.nanoTime();
        new Trainer(spec, train, test).run(new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                System.out.printf(Locale.ROOT, "%s: epoch %d step %d/%d loss %.4f acc %.4f %.0f img/s%n", name,
                        p.epoch(), p.step(), p.totalSteps(), p.loss(), p.accuracy(), p.imagesPerSecond());
            }

            @Override
            public void onEpoch(EpochResult result, ModelExport export) throws Exception {
                epochs.add(result);
                System.out.printf(Locale.ROOT, "%s: epoch %d test accuracy %.4f (%.0f img/s)%n", name,
                        result.epoch(), result.testAccuracy(), result.imagesPerSecond());
                if (result.epoch() == spec.epochs()) {
                    export.exportTo(model);
                }
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        ModelWeights weights = SavedModelReader.read(model);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", name);
        row.put("spec", spec.method());
        row.put("testAccuracyPerEpoch", epochs.stream().map(EpochResult::testAccuracy).toList());
        row.put("imagesPerSecondPerEpoch", epochs.stream().map(e -> Math.round(e.imagesPerSecond())).toList());
        row.put("trainingSeconds", Math.round(seconds));
        row.put("shareBelow", shares(weights));
        double dense = top1(model, test);
        row.put("denseTop1", dense);
        Map<String, Double> pruned = new LinkedHashMap<>();
        for (double sparsity : SPARSITIES) {
            Path variant = work.resolve("zero-" + Math.round(sparsity * 100));
            SavedModelWriter.write(weights, variant, zeroSmallest(weights, sparsity));
            pruned.put(String.valueOf(sparsity), top1(variant, test));
        }
        row.put("top1AfterZeroing", pruned);
        System.out.println(name + ": " + row);
        return row;
    }

    /** Per kernel, the share of weights with |w| below each limit. */
    private static Map<String, Map<String, Double>> shares(ModelWeights weights) {
        Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
        for (WeightTensor tensor : weights.tensors()) {
            if (!tensor.key().endsWith("/kernel")) {
                continue;
            }
            Map<String, Double> layer = new LinkedHashMap<>();
            for (double limit : LIMITS) {
                long below = 0;
                for (float v : tensor.values()) {
                    below += Math.abs(v) < limit ? 1 : 0;
                }
                layer.put(String.valueOf(limit), (double) below / tensor.values().length);
            }
            shares.put(tensor.key(), layer);
        }
        return shares;
    }

    /** The smallest |w| of every kernel set to zero, per layer: pruning-core's threshold method. */
    private static Map<String, float[]> zeroSmallest(ModelWeights weights, double sparsity) throws Exception {
        List<LayerWeights> kernels = new ArrayList<>();
        for (WeightTensor tensor : weights.tensors()) {
            if (tensor.key().endsWith("/kernel")) {
                long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
                kernels.add(new LayerWeights(tensor.key(), tensor.values(), shape));
            }
        }
        Map<String, float[]> replaced = new LinkedHashMap<>();
        for (LayerResult layer : new Pruner(new LayerThreshold(), new ZeroRecovery()).prune(kernels, sparsity)
                .layers()) {
            replaced.put(layer.name(), layer.values());
        }
        return replaced;
    }

    private static double top1(Path model, LabeledImages test) throws Exception {
        return (double) BenchIo.correctness(model, test).correct() / test.count();
    }
}
