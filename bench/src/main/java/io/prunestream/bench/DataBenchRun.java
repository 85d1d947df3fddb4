package io.prunestream.bench;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.store.ModelDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Scores the data benchmark's datasets ({@link DataBenchSets}) with a running evaluator, one checkpoint event at a
 * time, and records per dataset: images, top-1, the evaluation's wall time and so decode-and-score images/s (images
 * over the whole evaluation: reading, decoding, converting and scoring), the model's own images/s, and the evaluator's
 * peak resident memory while it ran (sampled every 100 ms). Each dataset is scored twice under two checkpoint ids:
 * first decoded from its files, then fed from the batches the evaluator kept converted (the in-memory reference, where
 * they fit its budget).
 *
 * <p>{@code DataBenchRun <bootstrap> <evaluator pid> <out folder> <results.json> <dataset=size,format,feed,passes>...},
 * the size {@code 32} or {@code 224} (which model), the feed {@code plain} or {@code photo} (resize 256, centre crop
 * 224), the passes separated by {@code :}: {@code warm-up} (the same files decoded under the dataset name
 * {@code <dataset>warm}, not recorded: the decoders' code compiled, as in an evaluator past its first model),
 * {@code decoded}, {@code kept}. Rows already in {@code results.json} are kept, the new ones added after them.
 */
public final class DataBenchRun {

    private DataBenchRun() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        long pid = Long.parseLong(args[1]);
        Path out = Path.of(args[2]).toAbsolutePath();
        Path results = Path.of(args[3]);
        EventCodec codec = new EventCodec();
        String run = "data-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (Files.exists(results)) {
            // A second evaluator's rows go after the first's (bench/data.sh starts one per image size).
            rows.addAll(BenchIo.JSON.readValue(results.toFile(), DataBenchResults.class).rows());
        }
        try (KafkaProducer<String, String> producer = BenchKafka.producer(bootstrap);
                KafkaConsumer<String, String> consumer = BenchKafka.evaluations(bootstrap, run)) {
            for (int a = 4; a < args.length; a++) {
                String[] named = args[a].split("=", 2);
                String[] parts = named[1].split(",");
                Path model = out.resolve(parts[0]).resolve("model");
                boolean photo = parts[2].equals("photo");
                for (String pass : parts[3].split(":")) {
                    String checkpoint = run + "-" + named[0] + "-" + pass;
                    // The warm-up pass reads the same files under another name, so nothing it kept feeds the next.
                    String dataset = pass.equals("warm-up") ? named[0] + "warm" : named[0];
                    CheckpointEvent event = CheckpointEvent.create(run, checkpoint, model.toUri().toString()
                            .replaceAll("/$", ""), ModelDigest.of(model), parts[0].equals("224") ? "resnet8-w16"
                            : "small-cnn", dataset, 0, 0, Map.of(), new TrainingMethod("bench", 0, Map.of()),
                            new ServingSignature("serving_default", "image", parts[0].equals("224")
                                    ? List.of(-1L, 224L, 224L, 3L) : List.of(-1L, 32L, 32L, 3L),
                                    List.of("logits", "probabilities")))
                            .withPreprocessing(photo ? DataBenchSets.PHOTOS : Preprocessing.DEFAULT);
                    AtomicLong peak = new AtomicLong();
                    Thread sampler = new Thread(() -> sample(pid, peak), "rss-sampler");
                    sampler.setDaemon(true);
                    sampler.start();
                    producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, run, codec.encodeToString(event))).get();
                    EvaluationEvent done = await(consumer, codec, checkpoint);
                    sampler.interrupt();
                    sampler.join();
                    if (pass.equals("warm-up")) {
                        continue;
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("dataset", named[0]);
                    row.put("format", parts[1]);
                    row.put("pass", pass);
                    row.put("images", done.samples());
                    row.put("top1", done.top1());
                    row.put("evaluationMs", done.durationMs());
                    row.put("decodeAndScoreImagesPerSecond", done.samples() / (done.durationMs() / 1000.0));
                    row.put("modelImagesPerSecond", done.imagesPerSecond());
                    row.put("batchSize", done.batchSize());
                    row.put("peakRssMb", peak.get());
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%-14s %-8s %-7s %5d images, top-1 %.4f, %,6.0f images/s"
                            + " decode+score, %,6.0f model only, peak RSS %d MB%n", named[0], parts[1], pass,
                            done.samples(), done.top1(), row.get("decodeAndScoreImagesPerSecond"),
                            done.imagesPerSecond(), peak.get());
                }
            }
        }
        BenchIo.writeJson(results, new DataBenchResults(Runtime.getRuntime().availableProcessors() + " cores",
                rows));
        Files.writeString(Path.of(results.toString().replaceAll("\\.json$", ".md")), markdown(rows));
    }

    /** The rows as a table, each decoded pass beside its kept pass and the reference the script names. */
    private static String markdown(List<Map<String, Object>> rows) {
        StringBuilder table = new StringBuilder("| dataset | format | pass | images | top-1 | decode + score images/s"
                + " | model only images/s | batch | peak evaluator RSS MB |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.4f | %,.0f | %,.0f | %d | %d |%n",
                    row.get("dataset"), row.get("format"), row.get("pass"), number(row, "images").longValue(),
                    number(row, "top1").doubleValue(), number(row, "decodeAndScoreImagesPerSecond").doubleValue(),
                    number(row, "modelImagesPerSecond").doubleValue(), number(row, "batchSize").intValue(),
                    number(row, "peakRssMb").longValue()));
        }
        return table.toString();
    }

    /** A number of a row, whether made here or read back from JSON (which gives Integer where it was Long). */
    private static Number number(Map<String, Object> row, String key) {
        return (Number) row.get(key);
    }

    private static void sample(long pid, AtomicLong peak) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(BenchKafka.rssMb(pid), Math::max);
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static EvaluationEvent await(KafkaConsumer<String, String> consumer, EventCodec codec,
            String checkpoint) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                EvaluationEvent event = codec.decode(record.value(), EvaluationEvent.class);
                if (checkpoint.equals(event.variantId())) {
                    return event;
                }
            }
        }
        throw new IllegalStateException("no evaluation of " + checkpoint + " within 15 minutes");
    }
}
