package io.prunestream.bench;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The pipeline's latency: from a checkpoint event published to the last of its evaluation events published, with
 * the running pruner and evaluator. Takes the first checkpoint event on the topic (the trainer's), republishes it
 * under a fresh run and checkpoint id (so nothing is reused), waits for all its evaluations, and repeats, one
 * checkpoint in flight at a time. Times are the broker records' timestamps (set by each producer, all on this
 * machine). Each run's evaluations are kept too: the images each scored, why a sequential one stopped, and its drop
 * against dense with the interval, so that a run with sequential evaluation can be set beside one without.
 *
 * <p>{@code PipelineLatency <bootstrap> <results.json> <evaluations per checkpoint> [runs] [warmup]}
 */
public final class PipelineLatency {

    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private PipelineLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PipelineLatency <bootstrap> <results.json> <evaluations per checkpoint>"
                    + " [runs] [warmup]");
            System.exit(2);
        }
        String bootstrap = args[0];
        Path results = Path.of(args[1]);
        int expected = Integer.parseInt(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        EventCodec codec = new EventCodec();
        String group = "latency-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> toLast = new ArrayList<>();
        List<Long> toFirst = new ArrayList<>();
        List<Long> images = new ArrayList<>();
        List<List<Map<String, Object>>> scored = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
                KafkaConsumer<String, String> evaluations = consumer(bootstrap, group, "latest");
                KafkaConsumer<String, String> checkpoints = consumer(bootstrap, group + "-source", "earliest")) {
            CheckpointEvent source = firstCheckpoint(checkpoints, codec);
            evaluations.subscribe(List.of(Topics.EVALUATIONS));
            while (evaluations.assignment().isEmpty()) {
                evaluations.poll(Duration.ofMillis(100));
            }
            for (int i = 1; i <= warmup + runs; i++) {
                String run = String.format(Locale.ROOT, "%s-%02d", group, i);
                CheckpointEvent event = source.republishedAs(run, run + "-e001");
                RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, run,
                        codec.encodeToString(event))).get();
                List<ConsumerRecord<String, String>> records = awaitEvaluations(evaluations, codec, run, expected);
                long first = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow()
                        - sent.timestamp();
                long last = records.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow()
                        - sent.timestamp();
                List<EvaluationEvent> events = new ArrayList<>();
                for (ConsumerRecord<String, String> record : records) {
                    events.add(codec.decode(record.value(), EvaluationEvent.class));
                }
                long total = events.stream().mapToLong(EvaluationEvent::samples).sum();
                boolean timed = i > warmup;
                if (timed) {
                    toFirst.add(first);
                    toLast.add(last);
                    images.add(total);
                    scored.add(events.stream().map(PipelineLatency::row).toList());
                }
                System.out.printf(Locale.ROOT, "%s %s: first evaluation after %d ms, all %d after %d ms, %,d"
                        + " images scored%n", timed ? "run" : "warm-up", run, first, expected, last, total);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("evaluationsPerCheckpoint", expected);
        row.put("runs", runs);
        row.put("warmup", warmup);
        row.put("medianToLastEvaluationMs", BenchIo.median(toLast));
        row.put("medianToFirstEvaluationMs", BenchIo.median(toFirst));
        row.put("toLastEvaluationMs", toLast);
        row.put("toFirstEvaluationMs", toFirst);
        row.put("imagesScored", images);
        row.put("evaluations", scored);
        BenchIo.createParent(results);
        BenchIo.writeJson(results, row);
        System.out.println(row);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group, String reset) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static CheckpointEvent firstCheckpoint(KafkaConsumer<String, String> consumer, EventCodec codec)
            throws Exception {
        consumer.subscribe(List.of(Topics.CHECKPOINTS));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return codec.decode(record.value(), CheckpointEvent.class);
            }
        }
        throw new IllegalStateException("no checkpoint event on '" + Topics.CHECKPOINTS + "' within " + PATIENCE);
    }

    /** What the comparison of two runs needs of one evaluation. */
    private static Map<String, Object> row(EvaluationEvent e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", e.method().wireName());
        row.put("sparsity", e.targetSparsity());
        row.put("samples", e.samples());
        row.put("stop", e.stopping() == null ? null : e.stopping().reason().wireName());
        row.put("top1", e.top1());
        if (e.dropVsDense() != null) {
            row.put("drop", e.dropVsDense().estimate());
            row.put("dropLow", e.dropVsDense().low());
            row.put("dropHigh", e.dropVsDense().high());
        }
        return row;
    }

    /** The records of {@code expected} evaluations of {@code run}. */
    private static List<ConsumerRecord<String, String>> awaitEvaluations(KafkaConsumer<String, String> consumer,
            EventCodec codec, String run, int expected) throws Exception {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        int seen = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (seen < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (run.equals(record.key())) {
                    // Only a valid evaluation counts; anything else on the topic stops the measurement.
                    codec.decode(record.value(), EvaluationEvent.class);
                    seen++;
                    records.add(record);
                }
            }
        }
        if (seen < expected) {
            throw new IllegalStateException("only " + seen + " of " + expected + " evaluations of " + run
                    + " within " + PATIENCE);
        }
        return records;
    }
}
