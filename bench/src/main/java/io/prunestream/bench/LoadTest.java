package io.prunestream.bench;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load: the first checkpoint event on the topic (the trainer's) republished under {@code count} fresh run ids, all at
 * once, to the running pruner and evaluator replicas. Reads the variant and evaluation events as they come, samples
 * each consumer group's lag every second, and when every evaluation is in, checks that each variant was pruned once
 * and scored once, and that the store holds one result per id. Exits 1 on any loss or duplicate.
 *
 * <p>{@code LoadTest <bootstrap> <model store> <out dir> <checkpoints> <evaluations per checkpoint>
 * [<replica>=<log file> ...]}: the logs tell which replica did how much.
 */
public final class LoadTest {

    private static final Duration PATIENCE = Duration.ofMinutes(30);
    /** After the last expected evaluation: long enough for a repeated record to show up. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final EventCodec codec = new EventCodec();
    private final Map<String, Long> sentAt = new LinkedHashMap<>();
    private final Map<Integer, Integer> perPartition = new TreeMap<>();
    private final Map<String, Integer> variantRecords = new HashMap<>();
    private final Map<String, Set<String>> evaluationIds = new HashMap<>();
    private final Map<String, Integer> evaluationRecords = new HashMap<>();
    private final Map<String, Long> lastEvaluationOfRun = new HashMap<>();
    private final List<Map<String, Long>> lagSeries = new ArrayList<>();
    private long lastVariantAt;
    private long lastEvaluationAt;

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: LoadTest <bootstrap> <model store> <out dir> <checkpoints>"
                    + " <evaluations per checkpoint> [<replica>=<log file> ...]");
            System.exit(2);
        }
        Map<String, Path> logs = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            logs.put(pair[0], Path.of(pair[1]));
        }
        boolean clean = new LoadTest().run(args[0], Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), logs);
        System.exit(clean ? 0 : 1);
    }

    private boolean run(String bootstrap, Path store, Path out, int count, int perCheckpoint, Map<String, Path> logs)
            throws Exception {
        String tag = "load-" + UUID.randomUUID().toString().substring(0, 6);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
                KafkaConsumer<String, String> checkpoints = consumer(bootstrap);
                KafkaConsumer<String, String> variants = consumer(bootstrap);
                KafkaConsumer<String, String> evaluations = consumer(bootstrap)) {
            Map<String, List<TopicPartition>> partitions = partitions(admin);
            CheckpointEvent template = firstCheckpoint(checkpoints, partitions.get(Topics.CHECKPOINTS));
            atEnd(variants, partitions.get(Topics.VARIANTS));
            atEnd(evaluations, partitions.get(Topics.EVALUATIONS));
            Map<String, ConsumerLag> lags = new LinkedHashMap<>();
            lags.put("pruner-service on checkpoints",
                    new ConsumerLag(admin, "pruner-service", partitions.get(Topics.CHECKPOINTS)));
            lags.put("evaluator-service on checkpoints",
                    new ConsumerLag(admin, "evaluator-service", partitions.get(Topics.CHECKPOINTS)));
            lags.put("evaluator-service on variants",
                    new ConsumerLag(admin, "evaluator-service", partitions.get(Topics.VARIANTS)));

            long start = send(producer, template, tag, count);
            System.out.printf(Locale.ROOT, "load: %d checkpoint events sent (%s-NN), partitions %s%n", count, tag,
                    perPartition);
            int expected = count * perCheckpoint;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            long nextSample = 0;
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                poll(variants, tag, true);
                poll(evaluations, tag, false);
                if (System.currentTimeMillis() >= nextSample) {
                    nextSample = System.currentTimeMillis() + 1000;
                    Map<String, Long> sample = new LinkedHashMap<>();
                    sample.put("ms", System.currentTimeMillis() - start);
                    for (Map.Entry<String, ConsumerLag> lag : lags.entrySet()) {
                        sample.put(lag.getKey(), lag.getValue().now());
                    }
                    lagSeries.add(sample);
                    boolean drained = sample.entrySet().stream().skip(1).allMatch(e -> e.getValue() == 0);
                    if (evaluationIds.size() >= expected && drained && settleUntil == Long.MAX_VALUE) {
                        settleUntil = System.nanoTime() + SETTLE.toNanos();
                    }
                    if (lagSeries.size() % 15 == 1) {
                        System.out.printf(Locale.ROOT, "load: %5.1f s, %d/%d evaluations, lag %s%n",
                                sample.get("ms") / 1000.0, evaluationIds.size(), expected, sample);
                    }
                }
            }
            return report(out, tag, start, count, perCheckpoint, store, logs, lags.keySet());
        }
    }

    private long send(KafkaProducer<String, String> producer, CheckpointEvent template, String tag, int count)
            throws Exception {
        Map<String, Future<RecordMetadata>> pending = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String run = String.format(Locale.ROOT, "%s-%02d", tag, i);
            CheckpointEvent event = template.republishedAs(run, run + "-e001");
            pending.put(run, producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, run,
                    codec.encodeToString(event))));
        }
        long start = Long.MAX_VALUE;
        for (Map.Entry<String, Future<RecordMetadata>> sent : pending.entrySet()) {
            RecordMetadata metadata = sent.getValue().get();
            sentAt.put(sent.getKey(), metadata.timestamp());
            perPartition.merge(metadata.partition(), 1, Integer::sum);
            start = Math.min(start, metadata.timestamp());
        }
        return start;
    }

    private void poll(KafkaConsumer<String, String> consumer, String tag, boolean variant) throws Exception {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.key() == null || !record.key().startsWith(tag)) {
                continue;
            }
            if (variant) {
                VariantEvent event = codec.decode(record.value(), VariantEvent.class);
                variantRecords.merge(event.variantId(), 1, Integer::sum);
                lastVariantAt = Math.max(lastVariantAt, record.timestamp());
            } else {
                EvaluationEvent event = codec.decode(record.value(), EvaluationEvent.class);
                evaluationIds.computeIfAbsent(event.variantId(), id -> new HashSet<>()).add(event.eventId());
                evaluationRecords.merge(event.variantId(), 1, Integer::sum);
                lastEvaluationOfRun.merge(event.runId(), record.timestamp(), Math::max);
                lastEvaluationAt = Math.max(lastEvaluationAt, record.timestamp());
            }
        }
    }

    private boolean report(Path out, String tag, long start, int count, int perCheckpoint, Path store,
            Map<String, Path> logs, Collection<String> lagNames) throws IOException {
        int expectedVariants = count * (perCheckpoint - 1);
        int expectedEvaluations = count * perCheckpoint;
        long prunedTwice = variantRecords.values().stream().filter(n -> n > 1).count();
        long scoredTwice = evaluationIds.values().stream().filter(ids -> ids.size() > 1).count();
        long repeatedRecords = evaluationRecords.values().stream().mapToLong(n -> n - 1).sum();
        int stored = storedResults(store, tag);
        int lost = expectedEvaluations - evaluationIds.size();
        List<Long> latencies = sentAt.entrySet().stream()
                .filter(e -> lastEvaluationOfRun.containsKey(e.getKey()))
                .map(e -> lastEvaluationOfRun.get(e.getKey()) - e.getValue()).sorted().toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tag", tag);
        json.put("checkpoints", count);
        json.put("checkpointsPerPartition", perPartition);
        json.put("expectedVariants", expectedVariants);
        json.put("variantIds", variantRecords.size());
        json.put("variantRecords", variantRecords.values().stream().mapToInt(Integer::intValue).sum());
        json.put("prunedTwice", prunedTwice);
        json.put("expectedEvaluations", expectedEvaluations);
        json.put("evaluatedIds", evaluationIds.size());
        json.put("scoredTwice", scoredTwice);
        json.put("repeatedEvaluationRecords", repeatedRecords);
        json.put("storedResults", stored);
        json.put("lost", lost);
        json.put("allPrunedMs", lastVariantAt - start);
        json.put("allEvaluatedMs", lastEvaluationAt - start);
        json.put("checkpointLatencyMs", latencies);
        json.put("replicaWork", replicaWork(logs, tag));
        json.put("lag", lagSeries);
        Files.createDirectories(out);
        BenchIo.writeJson(out.resolve("load.json"), json);
        String markdown = LoadReport.markdown(json, lagNames);
        Files.writeString(out.resolve("load.md"), markdown, StandardCharsets.UTF_8);
        System.out.print(markdown);
        return lost == 0 && prunedTwice == 0 && scoredTwice == 0 && variantRecords.size() == expectedVariants
                && evaluationIds.size() == expectedEvaluations && stored == expectedEvaluations;
    }

    /** Result files the evaluators stored for this load's runs (hidden partial files are not results). */
    private static int storedResults(Path store, String tag) throws IOException {
        Path root = store.resolve("evaluations");
        int files = 0;
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.filter(p -> p.getFileName().toString().startsWith(tag)).toList()) {
                try (Stream<Path> results = Files.list(run)) {
                    files += (int) results.filter(p -> !p.getFileName().toString().startsWith(".")).count();
                }
            }
        }
        return files;
    }

    /** What each replica logged doing for this load: checkpoints pruned, models scored. */
    private static Map<String, Long> replicaWork(Map<String, Path> logs, String tag) throws IOException {
        Pattern pruned = Pattern.compile("checkpoint " + tag + "-\\d+-e001: published");
        Pattern scored = Pattern.compile(" " + tag + "-\\d+-e001\\S*: top-1 ");
        Map<String, Long> work = new LinkedHashMap<>();
        for (Map.Entry<String, Path> log : logs.entrySet()) {
            Pattern pattern = log.getKey().startsWith("pruner") ? pruned : scored;
            try (Stream<String> lines = Files.lines(log.getValue(), StandardCharsets.UTF_8)) {
                work.put(log.getKey(), lines.filter(line -> pattern.matcher(line).find()).count());
            }
        }
        return work;
    }

    private static Map<String, List<TopicPartition>> partitions(Admin admin) throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.CHECKPOINTS, Topics.VARIANTS,
                Topics.EVALUATIONS)).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        topics.forEach((name, description) -> partitions.put(name, description.partitions().stream()
                .map(p -> new TopicPartition(name, p.partition())).toList()));
        return partitions;
    }

    private CheckpointEvent firstCheckpoint(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions)
            throws Exception {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return codec.decode(record.value(), CheckpointEvent.class);
            }
        }
        throw new IllegalStateException("no checkpoint event on '" + Topics.CHECKPOINTS + "' to republish");
    }

    private static void atEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }
}
