package io.prunestream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.PruningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** What the benchmark programs do the same way: time medians and prunings, write results as indented JSON. */
final class BenchIo {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchIo() {
    }

    /** The median of {@code values} (the mean of the middle two for an even count); 0 for none. */
    static double median(Collection<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The median in milliseconds of {@code runs} timings in nanoseconds, after {@code warmup} untimed runs. */
    static double medianMillis(int runs, int warmup, LongSupplier nanos) {
        for (int i = 0; i < warmup; i++) {
            nanos.getAsLong();
        }
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            times[i] = nanos.getAsLong();
        }
        Arrays.sort(times);
        return times[runs / 2] / 1e6;
    }

    /**
     * The median in milliseconds of each timing, measured in {@code runs} rounds after {@code warmup} untimed ones,
     * each round timing every entry once in turn: drift (heap growth, page faults, a busy neighbour) then spreads over
     * all of them instead of landing on whichever ran first.
     */
    static Map<String, Double> interleavedMedianMillis(int runs, int warmup, Map<String, LongSupplier> timings) {
        for (int i = 0; i < warmup; i++) {
            timings.values().forEach(LongSupplier::getAsLong);
        }
        Map<String, long[]> times = new LinkedHashMap<>();
        timings.keySet().forEach(name -> times.put(name, new long[runs]));
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, LongSupplier> timing : timings.entrySet()) {
                times.get(timing.getKey())[i] = timing.getValue().getAsLong();
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        times.forEach((name, values) -> {
            Arrays.sort(values);
            medians.put(name, values[runs / 2] / 1e6);
        });
        return medians;
    }

    /** Nanoseconds {@code pruner} takes to prune {@code layers} to {@code sparsity}. */
    static long pruneNanos(Pruner pruner, List<LayerWeights> layers, double sparsity) {
        long t = System.nanoTime();
        try {
            pruner.prune(layers, sparsity);
        } catch (PruningException e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t;
    }

    /** Creates the folder {@code file} will go in. */
    static void createParent(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
    }

    /** Writes {@code value} as indented JSON to {@code file}, creating its folder. */
    static void writeJson(Path file, Object value) throws IOException {
        createParent(file);
        JSON.writeValue(file.toFile(), value);
    }

    /** Both splits of the dataset in {@code folder} (any format), in memory. */
    static io.prunestream.datasets.Splits splits(Path folder) throws io.prunestream.datasets.DatasetException {
        return io.prunestream.datasets.Splits.load(io.prunestream.datasets.DatasetFormats.open(
                io.prunestream.datasets.DatasetSpec.of("bench", folder)), Long.MAX_VALUE, "bench");
    }

    /** Deletes {@code folder} and everything under it, if it is there. */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Which test images a trainer-exported SavedModel ranks first right, scored a thousand at a time. */
    static io.prunestream.statistics.Correctness correctness(Path model, io.prunestream.datasets.LabeledImages test)
            throws Exception {
        java.util.BitSet correct = new java.util.BitSet(test.count());
        try (io.prunestream.tensorflow.SavedModelRunner runner = io.prunestream.tensorflow.SavedModelRunner.open(
                model, io.prunestream.tensorflow.training.ModelExport.SIGNATURE_KEY,
                io.prunestream.tensorflow.training.ModelExport.INPUT,
                io.prunestream.tensorflow.training.ModelExport.LOGITS)) {
            for (int from = 0; from < test.count(); from += 1000) {
                int count = Math.min(1000, test.count() - from);
                float[] logits = runner.run(test, from, count);
                int classes = logits.length / count;
                for (int i = 0; i < count; i++) {
                    if (io.prunestream.tensorflow.Logits.rank(logits, i * classes, classes,
                            test.label(from + i)) == 0) {
                        correct.set(from + i);
                    }
                }
            }
        }
        return new io.prunestream.statistics.Correctness(correct, test.count());
    }
}
