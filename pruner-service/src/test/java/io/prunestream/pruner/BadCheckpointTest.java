package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Topics;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every kind of bad checkpoint goes to the dead-letter topic with its reason; the pruner keeps consuming. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class BadCheckpointTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void badCheckpointsAreDeadLetteredByReasonAndTheNextOneIsPruned() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path good = store.checkpointDir(TrainedModelResource.RUN, TrainedModelResource.CHECKPOINT);
        String digest = ModelDigest.of(good);
        String goodUri = good.toUri().toString().replaceAll("/$", "");
        List<Map.Entry<String, byte[]>> bad = new ArrayList<>();
        bad.add(Map.entry("invalid-event: $: malformed JSON", "{\"eventType\":".getBytes(StandardCharsets.UTF_8)));
        bad.add(Map.entry("invalid-event: schemaVersion: is required",
                "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8)));
        bad.add(Map.entry("invalid-event: schemaVersion: unsupported value 2", Checkpoints.CODEC
                .encodeToString(Checkpoints.event("bad", "bad-1", goodUri, digest))
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2").getBytes(StandardCharsets.UTF_8)));
        bad.add(Map.entry("model-outside-store: modelUri 'file:///etc'", encode(Checkpoints.event("bad", "bad-2",
                "file:///etc", digest))));
        bad.add(Map.entry("model-outside-store: modelUri '" + goodUri + "/../../..'", encode(Checkpoints.event("bad",
                "bad-3", goodUri + "/../../..", digest))));
        bad.add(Map.entry("missing-model: no SavedModel at", encode(Checkpoints.event("bad", "bad-4",
                store.checkpointDir("bad", "nothing-here").toUri().toString(), digest))));
        bad.add(Map.entry("digest-mismatch: ", encode(Checkpoints.event("bad", "bad-5", goodUri,
                "sha256:" + "0".repeat(64)))));
        Path corrupt = copyOf(good, store.checkpointDir("bad", "corrupt"));
        Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        bad.add(Map.entry("corrupt-model: corrupt SavedModel", encode(Checkpoints.event("bad", "bad-6", corrupt))));
        Path nan = store.checkpointDir("bad", "nan");
        ModelWeights weights = SavedModelReader.read(good);
        float[] kernel = weights.get("conv2/kernel").values().clone();
        kernel[7] = Float.NaN;
        SavedModelWriter.write(weights, nan, Map.of("conv2/kernel", kernel));
        bad.add(Map.entry("non-finite-weights: checkpoint bad-7: layer conv2/kernel holds NaN at index 7",
                encode(Checkpoints.event("bad", "bad-7", nan))));
        Path escape = Files.createSymbolicLink(store.checkpointDir("bad", "escape"), Path.of("/etc"));
        bad.add(Map.entry("model-outside-store: modelUri '" + escape.toUri().toString().replaceAll("/$", ""),
                encode(Checkpoints.event("bad", "bad-8", escape.toUri().toString().replaceAll("/$", ""), digest))));
        Path noVariables = copyOf(good, store.checkpointDir("bad", "no-variables"));
        try (var data = Files.list(noVariables.resolve("variables"))) {
            for (Path file : data.filter(f -> f.getFileName().toString().startsWith("variables.data")).toList()) {
                Files.delete(file);
            }
        }
        bad.add(Map.entry("corrupt-model: cannot read the variables of SavedModel",
                encode(Checkpoints.event("bad", "bad-9", noVariables))));
        Path truncated = copyOf(good, store.checkpointDir("bad", "truncated"));
        try (var data = Files.list(truncated.resolve("variables"))) {
            for (Path file : data.filter(f -> f.getFileName().toString().startsWith("variables.data")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
            }
        }
        bad.add(Map.entry("corrupt-model: cannot read the variables of SavedModel",
                encode(Checkpoints.event("bad", "bad-10", truncated))));
        allowOnCheckpoints(11 * 1024 * 1024);
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        tenMegabytes[0] = '{';
        tenMegabytes[tenMegabytes.length - 1] = '}';
        bad.add(Map.entry("invalid-event: $: record of 10485760 bytes exceeds the limit of 1048576", tenMegabytes));
        for (Map.Entry<String, byte[]> record : bad) {
            KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "bad", record.getValue());
        }
        // Magnitude pruning reads the layers from the SavedModel itself, so an architecture the project does not
        // know is no reason to refuse a checkpoint (the structured methods, which need one, will).
        CheckpointEvent after = Checkpoints.event("after-bad", "after-bad-e001", goodUri, digest, "no-such-net-v9");
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, after.runId(), encode(after));

        List<ConsumerRecord<String, byte[]>> variants = KafkaTestClients.read(bootstrap, Topics.VARIANTS,
                r -> "after-bad".equals(r.key()), 8, Duration.ofSeconds(120));
        assertThat(variants).as("the pruner went on after the bad records").hasSize(8);
        List<ConsumerRecord<String, byte[]>> dead = KafkaTestClients.read(bootstrap,
                Topics.deadLetterTopic(Topics.CHECKPOINTS), bad.size(), Duration.ofSeconds(60));
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : dead) {
            reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
        assertThat(reasons).hasSize(bad.size());
        List<String> expected = bad.stream().map(Map.Entry::getKey).toList();
        for (int i = 0; i < expected.size(); i++) {
            assertThat(reasons.get(i)).startsWith(expected.get(i));
        }
        assertThat(dead.get(0).value()).as("the original bytes").isEqualTo(bad.get(0).getValue());
        assertThat(dead.get(dead.size() - 1).value()).as("the 10 MB record, unchanged").isEqualTo(tenMegabytes);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String reason : List.of("invalid-event", "model-outside-store", "missing-model", "digest-mismatch",
                "corrupt-model", "non-finite-weights")) {
            assertThat(metrics).containsPattern("pruner_failures_total\\{[^}]*reason=\"" + reason + "\"[^}]*} [1-9]");
        }
    }

    /** An operator may let the topic take large records; the dead-letter topic must then take them too. */
    private void allowOnCheckpoints(int maxBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHECKPOINTS);
            AlterConfigOp raise = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(maxBytes)), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(raise))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] encode(CheckpointEvent event) {
        return Checkpoints.CODEC.encode(event);
    }

    private static Path copyOf(Path source, Path target) throws Exception {
        try (var paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
