package io.prunestream.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.s3.S3Location;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What {@code bench/chaos.sh} does to the pipeline through Kafka, and the final count.
 *
 * <ul>
 *   <li>{@code poison <bootstrap> <tag>}: three poison records (malformed JSON, JSON of another shape, an unknown
 *       schema version) on {@code checkpoints} and on {@code variants}, keyed {@code chaos-poison-<tag>-<n>}.</li>
 *   <li>{@code redeliver <bootstrap> <n>}: the first n records of {@code checkpoints} and of {@code variants} sent
 *       again, byte for byte, as a consumer that lost its offsets would see them.</li>
 *   <li>{@code check <bootstrap> <evaluator url> <model store> <results.json> <variant suffix ...>}: every checkpoint
 *       event on the topic must have exactly one stored evaluation of itself (dense) and of each
 *       {@code <checkpointId>-<suffix>}; no variant id may have two evaluation events (distinct event ids); every
 *       variant folder named by a variant event must be whole (its digest matches); the dead-letter topics must hold
 *       the poison records and nothing else. Prints the counts; exits 1 on any loss, duplicate or damage.</li>
 * </ul>
 */
public final class Chaos {

    static final String POISON = "chaos-poison-";

    private Chaos() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Chaos poison <bootstrap> <tag> | redeliver <bootstrap> <n>"
                    + " | check <bootstrap> <evaluator url> <model store> <results.json> <variant suffix ...>");
            System.exit(2);
        }
        switch (args[0]) {
            case "poison" -> poison(args[1], args[2]);
            case "redeliver" -> redeliver(args[1], Integer.parseInt(args[2]));
            case "check" -> System.exit(check(args[1], URI.create(args[2]), Path.of(args[3]), Path.of(args[4]),
                    List.of(args).subList(5, args.length)) ? 0 : 1);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
        }
    }

    private static void poison(String bootstrap, String tag) throws Exception {
        List<String> bodies = List.of("{\"eventId\": ", "{\"hello\": \"world\"}",
                "{\"eventId\": \"p\", \"eventType\": \"checkpoint\", \"schemaVersion\": 99}");
        int n = 0;
        for (String topic : List.of(Topics.CHECKPOINTS, Topics.VARIANTS)) {
            for (String body : bodies) {
                KafkaTestClients.send(bootstrap, topic, POISON + tag + "-" + ++n,
                        body.getBytes(StandardCharsets.UTF_8));
            }
        }
        System.out.println("chaos: " + n + " poison records sent (tag " + tag + ")");
    }

    private static void redeliver(String bootstrap, int n) throws Exception {
        int sent = 0;
        for (String topic : List.of(Topics.CHECKPOINTS, Topics.VARIANTS)) {
            List<ConsumerRecord<String, byte[]>> records = readAll(bootstrap, topic).stream()
                    .filter(r -> !r.key().startsWith(POISON)).limit(n).toList();
            for (ConsumerRecord<String, byte[]> record : records) {
                KafkaTestClients.send(bootstrap, topic, record.key(), record.value());
                sent++;
            }
        }
        System.out.println("chaos: " + sent + " processed records delivered again");
    }

    private static boolean check(String bootstrap, URI evaluator, Path storeRoot, Path results, List<String> suffixes)
            throws Exception {
        EventCodec codec = new EventCodec();
        Set<String> poisonSent = new TreeSet<>();
        Set<String> checkpoints = new TreeSet<>();
        Set<String> expected = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrap, Topics.CHECKPOINTS)) {
            if (record.key().startsWith(POISON)) {
                poisonSent.add(record.key());
                continue;
            }
            CheckpointEvent checkpoint = codec.decode(record.value(), CheckpointEvent.class);
            checkpoints.add(checkpoint.checkpointId());
            expected.add(checkpoint.checkpointId());
            suffixes.forEach(suffix -> expected.add(checkpoint.checkpointId() + "-" + suffix));
        }
        ModelStore store = new ModelStore(storeRoot);
        Map<String, String> damaged = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrap, Topics.VARIANTS)) {
            if (record.key().startsWith(POISON)) {
                poisonSent.add(record.key());
                continue;
            }
            VariantEvent variant = codec.decode(record.value(), VariantEvent.class);
            // In a bucket, storeRoot holds the pruner's local copies, laid out by key.
            String digest = ModelDigest.of(S3Location.isS3(variant.modelUri())
                    ? storeRoot.resolve(S3Location.parse(variant.modelUri()).key())
                    : store.resolve(variant.modelUri()));
            if (!digest.equals(variant.modelDigest())) {
                damaged.put(variant.variantId(), "digest " + digest + " is not the event's " + variant.modelDigest());
            }
        }
        Map<String, Set<String>> eventIds = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrap, Topics.EVALUATIONS)) {
            EvaluationEvent evaluation = codec.decode(record.value(), EvaluationEvent.class);
            eventIds.computeIfAbsent(evaluation.variantId(), k -> new TreeSet<>()).add(evaluation.eventId());
        }
        Map<String, Integer> stored = new HashMap<>();
        for (Map<String, Object> row : storedResults(evaluator)) {
            stored.merge((String) row.get("variantId"), 1, Integer::sum);
        }
        Map<String, String> deadLettered = new TreeMap<>();
        for (String topic : List.of(Topics.CHECKPOINTS, Topics.VARIANTS, Topics.EVALUATIONS)) {
            for (ConsumerRecord<String, byte[]> record : readAll(bootstrap, Topics.deadLetterTopic(topic))) {
                Header reason = record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER);
                deadLettered.merge(record.key(), reason == null ? "(no reason header)"
                        : new String(reason.value(), StandardCharsets.UTF_8), (a, b) -> a);
            }
        }
        List<String> leftovers = staging(storeRoot);

        Set<String> lost = new TreeSet<>(expected);
        lost.removeAll(stored.keySet());
        Set<String> duplicated = new TreeSet<>();
        stored.forEach((id, count) -> {
            if (count > 1) {
                duplicated.add(id + " (" + count + " stored)");
            }
        });
        eventIds.forEach((id, ids) -> {
            if (ids.size() > 1) {
                duplicated.add(id + " (" + ids.size() + " evaluation events)");
            }
        });
        Set<String> unexpected = new TreeSet<>(stored.keySet());
        unexpected.removeAll(expected);
        Set<String> wronglyDeadLettered = deadLettered.keySet().stream().filter(k -> !k.startsWith(POISON))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> poisonNotDeadLettered = new TreeSet<>(poisonSent);
        poisonNotDeadLettered.removeAll(deadLettered.keySet());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoints", checkpoints.size());
        report.put("expected", expected.size());
        report.put("found", stored.size() - unexpected.size());
        report.put("duplicates", duplicated.size());
        report.put("lost", lost.size());
        report.put("unexpected", unexpected.size());
        report.put("damagedVariantFolders", damaged.size());
        report.put("stagingLeftovers", leftovers.size());
        report.put("poisonSent", poisonSent.size());
        report.put("deadLettered", deadLettered.size());
        report.put("deadLetteredNotPoison", wronglyDeadLettered.size());
        report.put("poisonNotDeadLettered", poisonNotDeadLettered.size());
        report.put("details", Map.of("lost", lost, "duplicates", duplicated, "unexpected", unexpected,
                "damaged", damaged, "stagingLeftovers", leftovers, "deadLetterReasons", deadLettered,
                "deadLetteredNotPoison", wronglyDeadLettered, "poisonNotDeadLettered", poisonNotDeadLettered));
        BenchIo.writeJson(results, report);
        report.remove("details");
        System.out.println("chaos: " + report);
        deadLettered.forEach((key, reason) -> System.out.println("chaos: dead-lettered " + key + ": " + reason));
        return lost.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty() && damaged.isEmpty()
                && wronglyDeadLettered.isEmpty() && poisonNotDeadLettered.isEmpty();
    }

    /** Staging folders a killed writer left: never visible as models, but worth knowing about. */
    private static List<String> staging(Path storeRoot) throws Exception {
        if (!Files.isDirectory(storeRoot)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(storeRoot, 3)) {
            return paths.filter(p -> p.getFileName().toString().startsWith(".staging-"))
                    .map(p -> storeRoot.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<Map<String, Object>> storedResults(URI evaluator) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                evaluator.resolve("/results")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + evaluator.resolve("/results") + " answered "
                    + response.statusCode());
        }
        return BenchIo.JSON.readValue(response.body(), new TypeReference<>() {
        });
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        return KafkaTestClients.readToEnd(bootstrap, topic, Duration.ofMinutes(2));
    }
}
