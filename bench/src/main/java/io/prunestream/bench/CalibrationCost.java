package io.prunestream.bench;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.ZeroRecovery;
import io.prunestream.pruning.reconstruction.MagnitudeAllocation;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import io.prunestream.tensorflow.calibration.CalibrationData;
import io.prunestream.tensorflow.calibration.LayerReconstruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What calibration adds to one checkpoint, timed alone on the machine as the pruner does it: per sparsity, a
 * {@code bn} variant (prune, write, re-estimate the batch norms on the calibration images, write again), an
 * {@code obs} reconstruction as the pruner's default variant makes it (the sparsity spread by one magnitude threshold
 * over all kernels, the reconstruction's default options, on the reconstruction images, then written), and the
 * batch-norm re-estimation an {@code obs+bn} variant adds to it. Median of {@code runs} each.
 *
 * <p>Arguments: model folder, dataset folder (official IDX files), sparsities (comma-separated), batch-norm images,
 * reconstruction images, runs, output JSON, scratch folder.
 */
public final class CalibrationCost {

    private CalibrationCost() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        LabeledImages train = BenchIo.splits(Path.of(args[1])).train();
        List<Double> sparsities = Stream.of(args[2].split(",")).map(Double::valueOf).toList();
        int bnImages = Integer.parseInt(args[3]);
        int obsImages = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        Path scratch = Path.of(args[7]);
        TensorFlowRuntime.start();
        ModelWeights weights = SavedModelReader.read(model);
        List<LayerWeights> layers = layers(weights);
        CalibrationData all = CalibrationData.of("serving_default", "image", ModelInput.nhwc(28, 28, 1), train,
                Math.max(bnImages, obsImages));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double sparsity : sparsities) {
            List<Double> bn = new ArrayList<>();
            List<Double> obs = new ArrayList<>();
            List<Double> obsBn = new ArrayList<>();
            List<LayerReconstruction.Target> targets = new ArrayList<>();
            MagnitudeAllocation.allocate(layers, sparsity)
                    .forEach((key, share) -> targets.add(new LayerReconstruction.Target(key, share)));
            for (int run = 0; run < runs; run++) {
                long started = System.nanoTime();
                Map<String, float[]> zeroed = new LinkedHashMap<>();
                for (LayerResult layer : new Pruner(new LayerThreshold(), new ZeroRecovery()).prune(layers, sparsity)
                        .layers()) {
                    zeroed.put(layer.name(), layer.values());
                }
                calibrated(weights, zeroed, all.first(bnImages), scratch);
                bn.add(millis(started));
                started = System.nanoTime();
                LayerReconstruction.Result result = LayerReconstruction.reconstruct(model, targets,
                        all.first(obsImages));
                write(weights, result.kernels(), scratch.resolve("obs"));
                obs.add(millis(started));
                started = System.nanoTime();
                calibrated(weights, result.kernels(), all.first(bnImages), scratch);
                obsBn.add(millis(started));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sparsity", sparsity);
            row.put("bnVariantMs", BenchIo.median(bn));
            row.put("obsReconstructionMs", BenchIo.median(obs));
            row.put("obsBnAddsMs", BenchIo.median(obsBn));
            rows.add(row);
            System.out.printf("sparsity %.2f: bn variant %.0f ms, obs %.0f ms, obs+bn adds %.0f ms%n", sparsity,
                    BenchIo.median(bn), BenchIo.median(obs), BenchIo.median(obsBn));
        }
        BenchIo.writeJson(Path.of(args[6]), Map.of("model", model.toString(), "batchNormImages", bnImages,
                "reconstructionImages", obsImages, "runs", runs, "cores", Runtime.getRuntime().availableProcessors(),
                "rows", rows));
    }

    /** As the pruner's Calibrator: the pruned model written, its batch norms re-estimated, written again. */
    private static void calibrated(ModelWeights weights, Map<String, float[]> kernels, CalibrationData data,
            Path scratch) throws Exception {
        Path pruned = scratch.resolve("pruned");
        write(weights, kernels, pruned);
        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(pruned, data);
        Map<String, float[]> both = new LinkedHashMap<>(kernels);
        both.putAll(outcome.statistics());
        write(weights, both, scratch.resolve("calibrated"));
    }

    private static void write(ModelWeights weights, Map<String, float[]> replacements, Path folder)
            throws Exception {
        BenchIo.deleteTree(folder);
        SavedModelWriter.write(weights, folder, replacements);
    }

    private static List<LayerWeights> layers(ModelWeights weights) throws Exception {
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : weights.model().prunableKernels()) {
            WeightTensor tensor = weights.get(kernel.key());
            long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
            FilterLayout filters = kernel.view().filterLayout(shape).orElse(FilterLayout.WHOLE);
            layers.add(new LayerWeights(kernel.key(), tensor.values(), shape, filters.filters(), filters.stride()));
        }
        return layers;
    }

    private static double millis(long started) {
        return (System.nanoTime() - started) / 1e6;
    }
}
