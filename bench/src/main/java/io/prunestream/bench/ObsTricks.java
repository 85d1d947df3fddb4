package io.prunestream.bench;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.reconstruction.ErrorCurve;
import io.prunestream.pruning.reconstruction.MagnitudeAllocation;
import io.prunestream.pruning.reconstruction.SparsityAllocation;
import io.prunestream.statistics.Correctness;
import io.prunestream.statistics.Interval;
import io.prunestream.statistics.PairedComparison;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import io.prunestream.tensorflow.calibration.CalibrationData;
import io.prunestream.tensorflow.calibration.LayerCurves;
import io.prunestream.tensorflow.calibration.LayerReconstruction;
import io.prunestream.tensorflow.calibration.OutputScales;
import io.prunestream.tensorflow.calibration.ReconstructionOptions;
import io.prunestream.tensorflow.training.ArchitectureSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tricks of high-sparsity {@code obs}, each alone and together, on one plainly trained checkpoint: how the budget
 * is spread ({@code layer}: every kernel at the target; {@code global}: one magnitude threshold;
 * {@code dp}: the error curves' dynamic programme), {@code stagesN} (N passes), {@code dense-inputs} (each layer fitted
 * on the dense network's inputs), {@code dampX} (the Hessian's damping, 0.01 by default), {@code imagesN} (calibration
 * images, 256 by default), {@code greedy} (OBC's greedy masks in the layers solved exactly), {@code maxN} (a
 * kernel of more than N inputs per output pruned by magnitude, as the pruner's {@code max-inputs}; default: none),
 * {@code exactN} (kernels of up to N rows x inputs^2 solved exactly, the rest swept by SparseGPT; default 4,000,000)
 * and {@code bn} (batch norms re-estimated after, on 1,024 images). Every variant is scored on the whole test split
 * and compared, image by image, with the dense model (paired 95% interval of the drop); each step is timed.
 *
 * <p>Environment: {@code ARCH}, the network trained: {@code resnet20} (default, width 16, batch norm) or
 * {@code small-cnn} (two convs and two dense layers, no batch norm).
 *
 * <p>Arguments: dataset folder (official IDX files), work folder (the trained model is kept in {@code <work>/plain}
 * for the ResNet, {@code <work>/<ARCH>} otherwise, and reused), output JSON, sparsities (comma-separated), then the
 * rows, e.g. {@code global dp dp+stages3+bn}.
 */
public final class ObsTricks {

    private static final int RECONSTRUCTION_IMAGES = 256;
    private static final int BN_IMAGES = 1024;

    private ObsTricks() {
    }

    /** The rows a run before this one wrote. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Earlier(List<Map<String, Object>> rows, Long curvesMs) {
    }

    /** One row of the table: how the budget is spread and what is added. */
    record Trick(String name, String allocation, int stages, boolean prunedInputs, boolean bn, double damping,
            int images, boolean greedy, int maxInputs, long exactLimit, boolean batchNormWeighted, boolean folded) {

        static Trick parse(String name) {
            String[] parts = name.split("\\+");
            if (!List.of("layer", "global", "dp").contains(parts[0])) {
                throw new IllegalArgumentException("row '" + name + "': '" + parts[0] + "' is not layer, global or dp");
            }
            int stages = 1;
            boolean pruned = true;
            boolean bn = false;
            double damping = 0.01;
            int images = RECONSTRUCTION_IMAGES;
            boolean greedy = false;
            int maxInputs = Integer.MAX_VALUE;
            long exactLimit = ReconstructionOptions.EXACT_LIMIT;
            boolean weighted = false;
            boolean folded = false;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("stages")) {
                    stages = Integer.parseInt(parts[i].substring("stages".length()));
                } else if (parts[i].equals("dense-inputs")) {
                    pruned = false;
                } else if (parts[i].equals("bn")) {
                    bn = true;
                } else if (parts[i].equals("greedy")) {
                    greedy = true;
                } else if (parts[i].equals("bn-weighted")) {
                    weighted = true;
                } else if (parts[i].equals("folded")) {
                    folded = true;
                } else if (parts[i].startsWith("damp")) {
                    damping = Double.parseDouble(parts[i].substring("damp".length()));
                } else if (parts[i].startsWith("exact")) {
                    exactLimit = Long.parseLong(parts[i].substring("exact".length()));
                } else if (parts[i].startsWith("max")) {
                    maxInputs = Integer.parseInt(parts[i].substring("max".length()));
                } else if (parts[i].startsWith("images")) {
                    images = Integer.parseInt(parts[i].substring("images".length()));
                } else {
                    throw new IllegalArgumentException("row '" + name + "': unknown part '" + parts[i] + "'");
                }
            }
            return new Trick(name, parts[0], stages, pruned, bn, damping, images, greedy, maxInputs, exactLimit,
                    weighted, folded);
        }
    }

    public static void main(String[] args) throws Exception {
        io.prunestream.datasets.Splits splits = BenchIo.splits(Path.of(args[0]));
        Path work = Path.of(args[1]);
        List<Double> sparsities = Stream.of(args[3].split(",")).map(Double::valueOf).toList();
        List<Trick> tricks = Stream.of(args).skip(4).map(Trick::parse).toList();
        TensorFlowRuntime.start();
        String arch = System.getenv().getOrDefault("ARCH", "resnet20");
        if (!List.of("resnet20", "small-cnn").contains(arch)) {
            throw new IllegalArgumentException("ARCH: '" + arch + "' is not resnet20 or small-cnn");
        }
        Path model = work.resolve(arch.equals("resnet20") ? "plain" : arch);
        if (!Files.exists(model.resolve("saved_model.pb"))) {
            train(arch, splits.train(), splits.test(), model);
        }
        ModelWeights weights = SavedModelReader.read(model);
        List<LayerWeights> layers = layers(weights);
        CalibrationData data = CalibrationData.of(ModelExport.SIGNATURE_KEY, ModelExport.INPUT,
                ModelInput.nhwc(28, 28, 1), splits.train(), Math.max(BN_IMAGES, tricks.stream()
                        .mapToInt(Trick::images).max().orElse(0)));
        Correctness dense = BenchIo.correctness(model, splits.test());
        System.out.printf(Locale.ROOT, "dense top-1 %.2f%%%n", 100.0 * dense.correct() / dense.images());
        long started = System.nanoTime();
        List<ErrorCurve> curves = tricks.stream().anyMatch(t -> t.allocation().equals("dp"))
                ? LayerCurves.measure(model, layers.stream().map(LayerWeights::name).toList(),
                        data.first(RECONSTRUCTION_IMAGES), Integer.MAX_VALUE) : List.of();
        long curvesMs = (System.nanoTime() - started) / 1_000_000;
        List<LayerWeights> folded = tricks.stream().anyMatch(Trick::folded) ? folded(model, layers) : layers;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Trick trick : tricks) {
            for (double sparsity : sparsities) {
                rows.add(variant(trick, sparsity, model, weights, trick.folded() ? folded : layers, curves, data,
                        splits.test(), dense, work.resolve("variant")));
            }
        }
        // Rows of tricks not run this time are kept (the model is kept too), so one trick can be added on its own.
        Path results = Path.of(args[2]);
        List<String> names = tricks.stream().map(Trick::name).toList();
        List<Map<String, Object>> merged = new ArrayList<>();
        Earlier earlier = Files.exists(results) ? BenchIo.JSON.readValue(results.toFile(), Earlier.class) : null;
        if (earlier != null) {
            for (Map<String, Object> old : earlier.rows()) {
                if (!names.contains(String.valueOf(old.get("trick")))) {
                    merged.add(old);
                }
            }
        }
        merged.addAll(rows);
        if (curves.isEmpty() && earlier != null) {
            // Not measured this time: the run that measured them says how long they took.
            curvesMs = earlier.curvesMs() == null ? 0 : earlier.curvesMs();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", java.time.LocalDate.now().toString());
        out.put("model", (arch.equals("resnet20") ? "resnet20 width 16" : arch) + ", plain, 4 epochs, seed 42");
        out.put("denseTop1", (double) dense.correct() / dense.images());
        out.put("curvesMs", curvesMs);
        out.put("reconstructionImages", RECONSTRUCTION_IMAGES);
        out.put("batchNormImages", BN_IMAGES);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("rows", merged);
        BenchIo.writeJson(results, out);
    }

    /** Each kernel's weights times the scale of the batch norm after it, per output channel (+folded). */
    private static List<LayerWeights> folded(Path model, List<LayerWeights> layers) throws Exception {
        Map<String, double[]> scales = OutputScales.of(model, ModelExport.SIGNATURE_KEY);
        List<LayerWeights> folded = new ArrayList<>();
        for (LayerWeights layer : layers) {
            double[] scale = scales.get(layer.name());
            float[] values = layer.values().clone();
            if (scale != null) {
                for (int i = 0; i < values.length; i++) {
                    values[i] *= (float) Math.abs(scale[(int) ((i / layer.filterStride()) % layer.filters())]);
                }
            }
            folded.add(new LayerWeights(layer.name(), values, layer.shape(), layer.filters(), layer.filterStride()));
        }
        return folded;
    }

    private static Map<String, Object> variant(Trick trick, double sparsity, Path model, ModelWeights weights,
            List<LayerWeights> layers, List<ErrorCurve> curves, CalibrationData data, LabeledImages test,
            Correctness dense, Path folder) throws Exception {
        // layers: the kernels as stored, or (+folded) times their batch norms' scales, which only the magnitude
        // allocation reads.
        Map<String, Double> shares = switch (trick.allocation()) {
            case "layer" -> {
                Map<String, Double> uniform = new LinkedHashMap<>();
                layers.forEach(l -> uniform.put(l.name(), sparsity));
                yield uniform;
            }
            case "global" -> MagnitudeAllocation.allocate(layers, sparsity);
            default -> SparsityAllocation.allocate(curves, sparsity);
        };
        List<LayerReconstruction.Target> targets = new ArrayList<>();
        shares.forEach((key, share) -> targets.add(new LayerReconstruction.Target(key, share)));
        long started = System.nanoTime();
        LayerReconstruction.Result result = LayerReconstruction.reconstruct(model, targets,
                data.first(trick.images()), new ReconstructionOptions(trick.maxInputs(), trick.stages(),
                        trick.prunedInputs(), trick.damping(), trick.greedy(), trick.exactLimit(),
                        trick.batchNormWeighted()));
        long reconstructionMs = (System.nanoTime() - started) / 1_000_000;
        BenchIo.deleteTree(folder);
        SavedModelWriter.write(weights, folder, result.kernels());
        long bnMs = 0;
        if (trick.bn()) {
            started = System.nanoTime();
            BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(folder, data.first(BN_IMAGES));
            Map<String, float[]> both = new LinkedHashMap<>(result.kernels());
            both.putAll(outcome.statistics());
            BenchIo.deleteTree(folder);
            SavedModelWriter.write(weights, folder, both);
            bnMs = (System.nanoTime() - started) / 1_000_000;
        }
        Correctness scored = BenchIo.correctness(folder, test);
        PairedComparison paired = dense.against(scored);
        Interval drop = paired.dropInterval(0.95);
        long pruned = result.layers().stream().mapToLong(LayerReconstruction.Layer::pruned).sum();
        long parameters = result.layers().stream().mapToLong(LayerReconstruction.Layer::parameters).sum();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trick", trick.name());
        row.put("sparsity", sparsity);
        row.put("achieved", (double) pruned / parameters);
        row.put("images", trick.images());
        row.put("damping", trick.damping());
        row.put("top1", (double) scored.correct() / scored.images());
        row.put("drop", paired.drop());
        row.put("dropLow", drop.low());
        row.put("dropHigh", drop.high());
        row.put("reconstructionMs", reconstructionMs);
        row.put("bnMs", bnMs);
        Map<String, Double> perLayer = new LinkedHashMap<>();
        result.layers().forEach(l -> perLayer.put(l.key(), (double) l.pruned() / l.parameters()));
        row.put("layers", perLayer);
        System.out.printf(Locale.ROOT, "%-24s %.0f%%: top-1 %.2f%%, drop %.2f [%.2f, %.2f], obs %d ms, bn %d ms%n",
                trick.name(), 100 * sparsity, 100.0 * scored.correct() / scored.images(), 100 * paired.drop(),
                100 * drop.low(), 100 * drop.high(), reconstructionMs, bnMs);
        return row;
    }

    private static void train(String arch, LabeledImages train, LabeledImages test, Path model) throws Exception {
        ArchitectureSpec architecture = arch.equals("resnet20")
                ? new ArchitectureSpec(ArchitectureSpec.RESNET, 20, 16, null, null)
                : new ArchitectureSpec(ArchitectureSpec.SMALL_CNN, null, null, null, null);
        TrainingSpec spec = new TrainingSpec(architecture, null,
                MethodSpec.plain(), 128, 4, 42L, 100);
        new Trainer(spec, train, test).run(new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                System.out.printf(Locale.ROOT, "epoch %d step %d/%d loss %.4f%n", p.epoch(), p.step(),
                        p.totalSteps(), p.loss());
            }

            @Override
            public void onEpoch(EpochResult result, ModelExport export) throws Exception {
                System.out.printf(Locale.ROOT, "epoch %d test accuracy %.4f%n", result.epoch(), result.testAccuracy());
                if (result.epoch() == spec.epochs()) {
                    export.exportTo(model);
                }
            }
        });
    }

    private static List<LayerWeights> layers(ModelWeights weights) throws Exception {
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : weights.model().prunableKernels()) {
            WeightTensor tensor = weights.get(kernel.key());
            layers.add(new LayerWeights(kernel.key(), tensor.values(),
                    tensor.spec().shape().stream().mapToLong(Long::longValue).toArray()));
        }
        return layers;
    }
}
