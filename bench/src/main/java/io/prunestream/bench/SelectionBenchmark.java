package io.prunestream.bench;

import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.MeanRecovery;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.RadixSelect;
import io.prunestream.pruning.Selection;
import io.prunestream.pruning.ZeroRecovery;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The threshold selection of pruning-core (its radix selection, and the quickselect it replaced) against a full
 * sort, on N gaussian floats, and a whole pruning (selection, mask, recovery) of one layer that size; medians of R
 * runs, each on a fresh copy, after W warm-up runs. {@code SelectionBenchmark <results.json> [N] [R] [W]}.
 */
public final class SelectionBenchmark {

    private SelectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 25_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        float[] data = new float[n];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            data[i] = (float) random.nextGaussian();
        }
        int k = (int) (0.7 * n);
        float[] sorted = data.clone();
        Arrays.sort(sorted);
        if (Selection.kthSmallest(data.clone(), k) != sorted[k]) {
            throw new IllegalStateException("quickselect disagrees with the sort");
        }
        float[] magnitudes = data.clone();
        for (int i = 0; i < n; i++) {
            magnitudes[i] = Math.abs(magnitudes[i]);
        }
        Arrays.sort(magnitudes);
        if (RadixSelect.kthSmallestMagnitude(List.of(data), k) != magnitudes[k]) {
            throw new IllegalStateException("the radix selection disagrees with the sort");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        row.put("runs", runs);
        row.put("java", System.getProperty("java.version"));
        row.put("cores", Runtime.getRuntime().availableProcessors());
        double select = BenchIo.medianMillis(runs, warmup, () -> {
            float[] copy = data.clone();
            long t = System.nanoTime();
            Selection.kthSmallest(copy, k);
            return System.nanoTime() - t;
        });
        // The pruner's selection since issue 21: magnitudes straight from the weights, no copy, every core.
        double radix = BenchIo.medianMillis(runs, warmup, () -> {
            long t = System.nanoTime();
            RadixSelect.kthSmallestMagnitude(List.of(data), k);
            return System.nanoTime() - t;
        });
        double sort = BenchIo.medianMillis(runs, warmup, () -> {
            float[] copy = data.clone();
            long t = System.nanoTime();
            Arrays.sort(copy);
            return System.nanoTime() - t;
        });
        LayerWeights layer = new LayerWeights("layer", data, new long[] {n / 1000, 1000});
        double pruneZero = BenchIo.medianMillis(runs, warmup, () -> BenchIo.pruneNanos(new Pruner(new LayerThreshold(),
                new ZeroRecovery()), List.of(layer), 0.7));
        double pruneMean = BenchIo.medianMillis(runs, warmup, () -> BenchIo.pruneNanos(new Pruner(new LayerThreshold(),
                MeanRecovery.perFilter()), List.of(layer), 0.7));
        row.put("quickselectMs", select);
        row.put("radixSelectMs", radix);
        row.put("fullSortMs", sort);
        row.put("sortOverSelect", sort / select);
        row.put("pruneThresholdMs", pruneZero);
        row.put("pruneThresholdMeanFilterMs", pruneMean);
        System.out.printf(Locale.ROOT, "n=%,d, median of %d runs: quickselect %.0f ms, radix select %.0f ms, full sort"
                + " %.0f ms (%.1fx quickselect); whole pruning to 70%%: threshold %.0f ms, threshold+mean (filter) %.0f"
                + " ms%n", n, runs, select, radix, sort, sort / select, pruneZero, pruneMean);
        BenchIo.writeJson(results, row);
    }


}
