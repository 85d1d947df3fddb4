package io.prunestream.bench;

import io.prunestream.pruning.GlobalThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.MeanRecovery;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.ZeroRecovery;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Global magnitude pruning of ResNet-50-shaped weights with pruning-core: the threshold selection alone, a whole
 * pruning with zeroing ({@code threshold}) and with mean recovery per filter ({@code threshold+mean}), against a full
 * sort of all magnitudes. Medians of R rounds after W warm-ups, each round timing all four in turn. It also writes
 * the weights (float32, little-endian, in {@link ResNet50Shapes} order) and their shapes, so that
 * {@code bench/torch_prune.py} prunes the very same numbers.
 *
 * <pre>PruningSpeed RESULTS_JSON WEIGHTS_FILE [SPARSITY] [R] [W]</pre>
 */
public final class PruningSpeed {

    private PruningSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        Path weightsFile = Path.of(args[1]);
        double sparsity = args.length > 2 ? Double.parseDouble(args[2]) : 0.7;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 2;

        List<LayerWeights> layers = heInitialised(ResNet50Shapes.kernels(), new SplittableRandom(50));
        write(layers, weightsFile);
        long total = layers.stream().mapToLong(LayerWeights::size).sum();

        Pruner zero = new Pruner(new GlobalThreshold(), new ZeroRecovery());
        Pruner mean = new Pruner(new GlobalThreshold(), MeanRecovery.perFilter());
        Map<String, LongSupplier> timings = new LinkedHashMap<>();
        timings.put("globalSelectionMs", () -> {
            long t = System.nanoTime();
            new GlobalThreshold().masks(layers, sparsity);
            return System.nanoTime() - t;
        });
        timings.put("pruneThresholdMs", () -> BenchIo.pruneNanos(zero, layers, sparsity));
        timings.put("pruneThresholdMeanFilterMs", () -> BenchIo.pruneNanos(mean, layers, sparsity));
        timings.put("absAndFullSortMs", () -> {
            long t = System.nanoTime();
            float[] magnitudes = new float[Math.toIntExact(total)];
            int offset = 0;
            for (LayerWeights layer : layers) {
                for (float v : layer.values()) {
                    magnitudes[offset++] = Math.abs(v);
                }
            }
            Arrays.sort(magnitudes);
            return System.nanoTime() - t;
        });
        Map<String, Double> medians = BenchIo.interleavedMedianMillis(runs, warmup, timings);
        double select = medians.get("globalSelectionMs");
        double pruneZero = medians.get("pruneThresholdMs");
        double pruneMean = medians.get("pruneThresholdMeanFilterMs");
        double sort = medians.get("absAndFullSortMs");

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("weights", total);
        row.put("layers", layers.size());
        row.put("sparsity", sparsity);
        row.put("runs", runs);
        row.put("warmup", warmup);
        row.put("java", System.getProperty("java.version"));
        row.put("cores", Runtime.getRuntime().availableProcessors());
        row.putAll(medians);
        System.out.printf(Locale.ROOT, "%,d weights in %d layers, global %.0f%%, median of %d runs: selection %.0f ms,"
                + " threshold %.0f ms, threshold+mean (filter) %.0f ms, |w| + full sort %.0f ms%n", total,
                layers.size(), 100 * sparsity, runs, select, pruneZero, pruneMean, sort);
        BenchIo.writeJson(results, row);
    }

    private static List<LayerWeights> heInitialised(List<ResNet50Shapes.Kernel> kernels, SplittableRandom random) {
        List<LayerWeights> layers = new ArrayList<>();
        for (ResNet50Shapes.Kernel kernel : kernels) {
            float[] values = new float[kernel.size()];
            double std = Math.sqrt(2.0 / kernel.fanIn());
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
            layers.add(new LayerWeights(kernel.name(), values, kernel.shape()));
        }
        return layers;
    }

    /** The weights as raw float32 little-endian, and beside them a JSON list of names and shapes. */
    private static void write(List<LayerWeights> layers, Path file) throws IOException {
        BenchIo.createParent(file);
        List<Map<String, Object>> shapes = new ArrayList<>();
        try (OutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            for (LayerWeights layer : layers) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * layer.size()).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(layer.values());
                out.write(bytes.array());
                shapes.add(Map.of("name", layer.name(), "shape", layer.shape()));
            }
        }
        BenchIo.JSON.writeValue(Path.of(file + ".json").toFile(), shapes);
    }


}
