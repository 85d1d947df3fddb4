package io.prunestream.bench;

import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.store.ModelDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Feeds a running evaluator N variant events (distinct ids, one real model) one after the other and records the
 * evaluator process's resident memory after the first evaluation and after the last, with each evaluation's time.
 * {@code EvaluatorMemory <bootstrap> <evaluator pid> <model folder> <results.json> [N]}.
 */
public final class EvaluatorMemory {

    private EvaluatorMemory() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        long pid = Long.parseLong(args[1]);
        Path model = Path.of(args[2]).toAbsolutePath();
        Path results = Path.of(args[3]);
        int n = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        EventCodec codec = new EventCodec();
        String digest = ModelDigest.of(model);
        String uri = model.toUri().toString().replaceAll("/$", "");
        String run = "memory-" + UUID.randomUUID().toString().substring(0, 8);
        ServingSignature signature = new ServingSignature("serving_default", "image", List.of(-1L, 28L, 28L, 1L),
                List.of("logits", "probabilities"));
        List<Long> rssMb = new ArrayList<>();
        List<Long> durations = new ArrayList<>();
        List<Double> throughput = new ArrayList<>();
        double top1 = Double.NaN;
        String device = "";
        try (KafkaProducer<String, String> producer = BenchKafka.producer(bootstrap);
                KafkaConsumer<String, String> consumer = BenchKafka.evaluations(bootstrap, run)) {
            rssMb.add(BenchKafka.rssMb(pid));
            for (int i = 1; i <= n; i++) {
                VariantEvent event = VariantEvent.builder().runId(run).checkpointId(run + "-e001")
                        .variantId(String.format(Locale.ROOT, "%s-v%03d", run, i)).modelUri(uri).modelDigest(digest)
                        .method(PruningMethod.THRESHOLD).targetSparsity(0.5).achievedSparsity(0.5)
                        .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE)
                        .layers(List.of(new LayerReport("k", 1, 0, 0, null))).denseBytes(4).storageBytes(4)
                        .dataset("fashion-mnist").epoch(1).signature(signature).build();
                producer.send(new ProducerRecord<>(Topics.VARIANTS, run, codec.encodeToString(event))).get();
                EvaluationEvent done = await(consumer, codec, run);
                durations.add(done.durationMs());
                throughput.add(done.imagesPerSecond());
                top1 = done.top1();
                device = done.device();
                if (i == 1 || i == n || i % 25 == 0) {
                    rssMb.add(BenchKafka.rssMb(pid));
                    System.out.printf(Locale.ROOT, "after %d evaluations: RSS %d MB (last took %d ms, %.0f img/s)%n",
                            i, rssMb.get(rssMb.size() - 1), done.durationMs(), done.imagesPerSecond());
                }
            }
        }
        List<Long> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("evaluations", n);
        row.put("rssMbBeforeFirst", rssMb.get(0));
        row.put("rssMbAfterFirst", rssMb.get(1));
        row.put("rssMbAfterLast", rssMb.get(rssMb.size() - 1));
        row.put("rssMbSamples", rssMb);
        row.put("medianEvaluationMs", sorted.get(sorted.size() / 2));
        row.put("top1", top1);
        row.put("device", device);
        row.put("medianImagesPerSecond", throughput.stream().sorted().toList().get(throughput.size() / 2));
        BenchIo.writeJson(results, row);
        System.out.println(row);
    }

    private static EvaluationEvent await(KafkaConsumer<String, String> consumer, EventCodec codec, String run)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (run.equals(record.key())) {
                    return codec.decode(record.value(), EvaluationEvent.class);
                }
            }
        }
        throw new IllegalStateException("no evaluation within 5 minutes");
    }
}
