package io.prunestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunestream.datasets.Splits;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.StagedDirectory;
import io.prunestream.store.s3.ObjectStore;
import io.prunestream.store.s3.ObjectStoreSettings;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A 1 GB SavedModel through the pipeline with every service's heap capped (bench/large-model.sh): {@code write}
 * trains the wide Keras MLP ({@link ForeignModel.Kind#KERAS_MLP_WIDE}) for a few steps on Fashion-MNIST and writes
 * it; {@code run} puts it in the bucket, sends its checkpoint event, waits for its evaluations and records the time,
 * the table and the pruner's and evaluator's peak resident memory.
 *
 * <p>{@code LargeModel write <model dir> <dataset dir> <steps> <facts.json>} |
 * {@code LargeModel run <bootstrap> <evaluator url> <endpoint> <bucket> <model dir> <facts.json> <pruner pid>
 * <evaluator pid> <evaluations> <results.json>}; the key pair of {@code run} comes from the environment.
 */
public final class LargeModel {

    private static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_MLP_WIDE;
    private static final String RUN = "large-mlp";

    private LargeModel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("write")) {
            write(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
        } else if (args.length == 11 && args[0].equals("run")) {
            run(args, Path.of(args[5]), Path.of(args[6]), Integer.parseInt(args[9]), Path.of(args[10]));
        } else {
            throw new IllegalArgumentException("usage: LargeModel write <model dir> <dataset dir> <steps> <facts.json>"
                    + " | run <bootstrap> <evaluator url> <endpoint> <bucket> <model dir> <facts.json> <pruner pid>"
                    + " <evaluator pid> <evaluations> <results.json>");
        }
    }

    private static void write(Path model, Path dataset, int steps, Path facts) throws Exception {
        Splits data = BenchIo.splits(dataset);
        long started = System.nanoTime();
        ForeignModels.write(KIND, model, data.train(), steps, 7);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", KIND.label());
        row.put("trainingSteps", steps);
        row.put("writeSeconds", (System.nanoTime() - started) / 1e9);
        row.put("savedModelMb", ModelDigest.bytes(model) / 1e6);
        row.put("variablesMb", variablesBytes(model) / 1e6);
        BenchIo.writeJson(facts, row);
    }

    private static long variablesBytes(Path model) throws Exception {
        try (Stream<Path> files = Files.list(model.resolve("variables"))) {
            long bytes = 0;
            for (Path file : (Iterable<Path>) files::iterator) {
                bytes += Files.size(file);
            }
            return bytes;
        }
    }

    private static void run(String[] args, Path model, Path facts, int evaluations, Path results) throws Exception {
        String bootstrap = args[1];
        String evaluator = args[2];
        ObjectStoreSettings settings = new ObjectStoreSettings(args[4], "large-model-bench", Optional.of(URI.create(
                args[3])), "us-east-1", true, Set.of(), 4L << 30, 64L << 20, Duration.ofMinutes(2));
        String uri;
        String digest;
        long upload = System.nanoTime();
        try (ModelStore store = new ModelStore(model.resolveSibling("upload-cache"), ObjectStore.open(settings))) {
            Path target = store.checkpointDir(RUN, "wide-mlp");
            try (StagedDirectory staged = store.stage(target)) {
                copy(model, staged.path());
                staged.commit();
            }
            uri = store.uriOf(target);
            digest = ModelDigest.of(target);
        }
        double uploadSeconds = (System.nanoTime() - upload) / 1e9;
        CheckpointEvent event = CheckpointEvent.create(RUN, RUN + "-1", uri, digest, "external", "fashion-mnist", 0, 0,
                Map.of(), new TrainingMethod("external", 0, Map.of()), new ServingSignature("serving_default",
                        KIND.inputName(), KIND.inputShape(), List.of(KIND.outputName())))
                .withPreprocessing(KIND.preprocessing());
        long sent = System.nanoTime();
        try (KafkaProducer<String, String> producer = BenchKafka.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, RUN, new EventCodec().encodeToString(event))).get();
        }
        JsonNode scored = EvaluatorResults.await(evaluator, RUN, evaluations, Duration.ofMinutes(40),
                Duration.ofSeconds(1));
        double seconds = (System.nanoTime() - sent) / 1e9;
        @SuppressWarnings("unchecked")
        Map<String, Object> row = BenchIo.JSON.readValue(facts.toFile(), Map.class);
        row.put("modelUri", uri);
        row.put("uploadSeconds", uploadSeconds);
        row.put("eventToLastEvaluationSeconds", seconds);
        row.put("prunerPeakRssMb", BenchKafka.peakRssMb(Long.parseLong(args[7])));
        row.put("evaluatorPeakRssMb", BenchKafka.peakRssMb(Long.parseLong(args[8])));
        List<Map<String, Object>> table = new ArrayList<>();
        for (JsonNode e : scored) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("method", e.get("method").asText());
            line.put("sparsity", e.path("targetSparsity").asDouble(0));
            line.put("top1", e.get("top1").asDouble());
            line.put("imagesPerSecond", e.path("imagesPerSecond").asDouble());
            line.put("modelUri", e.path("modelUri").asText());
            // How sure each score is: the top-1's interval, and a variant's drop against dense on the same images.
            line.put("top1Interval", BenchIo.JSON.convertValue(e.path("top1Interval"), Map.class));
            line.put("dropVsDense", BenchIo.JSON.convertValue(e.path("dropVsDense"), Map.class));
            line.put("disagreements", BenchIo.JSON.convertValue(e.path("disagreements"), Map.class));
            table.add(line);
        }
        row.put("evaluations", table);
        BenchIo.writeJson(results, row);
        System.out.printf(Locale.ROOT, "%d evaluations %.0f s after the event; pruner peak RSS %s MB,"
                + " evaluator %s MB%n",
                table.size(), seconds, row.get("prunerPeakRssMb"), row.get("evaluatorPeakRssMb"));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
