package io.prunestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunestream.datasets.Splits;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Models as other tools write them, through the running pruner and evaluator: each fixture kind
 * ({@link ForeignModel.Kind}) trained on the dataset's training split, registered with {@code POST /checkpoints}
 * with its producer's declared preprocessing (and the raw-pixel model once more without it), pruned into its variants
 * and scored. {@code register} adds, for the pruner's current settings, per model: dense top-1, the curve of each
 * method, what the pruner took per variant, and how long from registration to the last evaluation; {@code report}
 * turns the results into markdown tables, one per pruner setting.
 */
public final class ForeignModelsReport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long SEED = 7;
    /** The pruner's default variants of a model without a network: threshold, threshold+mean, obs at 4 sparsities. */
    private static final int VARIANTS = 12;

    private ForeignModelsReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 8 && args[0].equals("register")) {
            register(args[1], args[2], Path.of(args[3]), Path.of(args[4]), Integer.parseInt(args[5]), args[6],
                    Path.of(args[7]));
        } else if (args.length == 3 && args[0].equals("report")) {
            JsonNode results = BenchIo.JSON.readTree(Path.of(args[1]).toFile());
            Files.writeString(Path.of(args[2]), markdown(results));
        } else {
            throw new IllegalArgumentException("usage: ForeignModelsReport register <pruner url> <evaluator url>"
                    + " <model store> <dataset dir> <training steps> <pruner settings> <results.json>"
                    + " | report <results.json> <out.md>");
        }
    }

    /**
     * Trains each kind once (a later call with other pruner settings reuses the models), registers it with the
     * running pruner, and adds its rows, under {@code settings}, to {@code results}.
     */
    private static void register(String pruner, String evaluator, Path store, Path dataset, int steps,
            String settings, Path results) throws Exception {
        Splits data = BenchIo.splits(dataset);
        Map<String, Object> all = Files.exists(results) ? BenchIo.JSON.readValue(results.toFile(), Map.class)
                : new LinkedHashMap<>(Map.of("dataset", "fashion-mnist (official split, Debian's"
                        + " dataset-fashion-mnist)", "trainingSteps", steps, "batchSize", 32,
                        "models", new ArrayList<>()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) all.get("models");
        int configuration = (int) rows.stream().map(r -> r.get("prunerSettings")).distinct().count();
        for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
            Path folder = store.resolve("uploads").resolve(kind.label());
            Double trainSeconds = null;
            Double reference = null;
            if (!Files.exists(folder)) {
                long started = System.nanoTime();
                ForeignModel model = ForeignModels.write(kind, folder, data.train(), steps, SEED);
                trainSeconds = round((System.nanoTime() - started) / 1e9);
                reference = ForeignModels.top1(ForeignModels.referenceLogits(kind, model.weights(), data.test()),
                        data.test());
            }
            String declared = String.format(Locale.ROOT, "{\"scale\": %s, \"layout\": \"%s\"}", kind.scale(),
                    kind.layout());
            String run = "models-" + configuration + "-" + kind.label();
            rows.add(measure(pruner, evaluator, store, kind, run, declared, settings, trainSeconds, reference));
            if (kind == ForeignModel.Kind.KERAS_MLP_RAW) {
                // What happens when its producer does not say it was trained on raw pixels.
                rows.add(measure(pruner, evaluator, store, kind, run + "-undeclared", null, settings, trainSeconds,
                        reference));
            }
        }
        BenchIo.writeJson(results, all);
    }

    private static Map<String, Object> measure(String pruner, String evaluator, Path store, ForeignModel.Kind kind,
            String run, String preprocessing, String settings, Double trainSeconds, Double reference)
            throws Exception {
        long registered = System.nanoTime();
        String body = "{\"modelPath\": \"uploads/" + kind.label() + "\", \"runId\": \"" + run
                + "\", \"checkpointId\": \"" + run + "-c\", \"dataset\": \"fashion-mnist\""
                + (preprocessing == null ? "" : ", \"preprocessing\": " + preprocessing) + "}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pruner + "/checkpoints"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException(kind + ": POST /checkpoints answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        JsonNode results = EvaluatorResults.await(evaluator, run, VARIANTS + 1, Duration.ofMinutes(10),
                Duration.ofMillis(250));
        double seconds = (System.nanoTime() - registered) / 1e9;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", kind.label() + (preprocessing == null ? " (preprocessing not declared)" : ""));
        row.put("prunerSettings", settings);
        row.put("input", kind.inputShape());
        row.put("preprocessing", preprocessing == null ? "default (x/255, NHWC)" : preprocessing);
        row.put("trainSeconds", trainSeconds);
        row.put("referenceTop1", reference);
        Map<String, Double> curve = new LinkedHashMap<>();
        for (JsonNode e : results) {
            String method = e.get("method").asText();
            if ("dense".equals(method)) {
                row.put("denseTop1", e.get("top1").asDouble());
                row.put("fedShape", e.path("input").path("shape").toString());
            } else {
                curve.put(method + "@" + e.get("targetSparsity").asText(), e.get("top1").asDouble());
            }
        }
        row.put("top1", curve);
        row.put("pruneMillisMedian", medianPruneMillis(store.resolve("variants").resolve(run)));
        row.put("obsLayerSparsity@0.9", layerSparsity(store.resolve("variants").resolve(run), "obs", 0.9));
        row.put("registrationToLastEvaluationSeconds", round(seconds));
        return row;
    }

    private static double medianPruneMillis(Path variants) throws IOException {
        List<Double> millis = new ArrayList<>();
        try (var folders = Files.list(variants)) {
            for (Path folder : folders.toList()) {
                millis.add(BenchIo.JSON.readTree(folder.resolve("pruning.json").toFile()).get("pruneMillis")
                        .asDouble());
            }
        }
        return BenchIo.median(millis);
    }

    /** Each kernel's achieved sparsity in the {@code method} variant at {@code target}, as its pruning.json says. */
    private static Map<String, Double> layerSparsity(Path variants, String method, double target)
            throws IOException {
        Map<String, Double> layers = new LinkedHashMap<>();
        try (var folders = Files.list(variants)) {
            for (Path folder : folders.toList()) {
                JsonNode record = BenchIo.JSON.readTree(folder.resolve("pruning.json").toFile());
                if (record.get("method").asText().equals(method)
                        && Math.abs(record.get("targetSparsity").asDouble() - target) < 1e-9) {
                    record.get("layers").forEach(l -> layers.put(l.get("name").asText(),
                            Math.round(1000.0 * l.get("pruned").asLong() / l.get("parameters").asLong()) / 1000.0));
                }
            }
        }
        return layers;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    private static String markdown(JsonNode results) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Each model trained for %d steps of 32 images (Adam, learning rate 0.001)"
                + " on the official Fashion-MNIST training split, then registered with POST /checkpoints and scored on"
                + " its 10,000 test images by the running pruner and evaluator; top-1 of the variants at each"
                + " sparsity, per-layer thresholds.%n", results.get("trainingSteps").asInt()));
        String settings = null;
        for (JsonNode row : results.get("models")) {
            if (!row.get("prunerSettings").asText().equals(settings)) {
                settings = row.get("prunerSettings").asText();
                md.append("\n").append(settings).append(":\n\n| model | input | declared preprocessing | dense top-1"
                        + " | 50% zero | 50% mean | 50% obs | 70% zero | 70% mean | 70% obs | 90% mean | 90% obs"
                        + " | prune ms per variant (median) | registration to last score |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            JsonNode top1 = row.get("top1");
            md.append(String.format(Locale.ROOT,
                    "| %s | `%s` | `%s` | %.4f | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.1f s |%n",
                    row.get("model").asText(), row.get("input").toString().replace(",", ", "),
                    row.get("preprocessing").asText(),
                    row.get("denseTop1").asDouble(), cell(top1, "threshold@0.5"), cell(top1, "threshold+mean@0.5"),
                    cell(top1, "obs@0.5"), cell(top1, "threshold@0.7"), cell(top1, "threshold+mean@0.7"),
                    cell(top1, "obs@0.7"), cell(top1, "threshold+mean@0.9"), cell(top1, "obs@0.9"),
                    row.get("pruneMillisMedian").asDouble(), row.get("registrationToLastEvaluationSeconds")
                            .asDouble()));
        }
        md.append("\nobs at 90%: each kernel's sparsity (the global allocation), per model and settings:\n\n"
                + "| model | settings | kernel sparsities |\n|---|---|---|\n");
        for (JsonNode row : results.get("models")) {
            StringBuilder kernels = new StringBuilder();
            row.path("obsLayerSparsity@0.9").fields().forEachRemaining(f -> kernels.append(kernels.isEmpty() ? ""
                    : ", ").append('`').append(f.getKey()).append("` ").append(f.getValue().asText()));
            md.append("| ").append(row.get("model").asText()).append(" | ")
                    .append(row.get("prunerSettings").asText().replaceAll(" \\(.*", "")).append(" | ")
                    .append(kernels).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(JsonNode top1, String key) {
        JsonNode value = top1.get(key);
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value.asDouble());
    }
}
