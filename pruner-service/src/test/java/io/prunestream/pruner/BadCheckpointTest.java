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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every kind of bad checkpoint goes to the dead-letter topic with its reason; the pruner keeps consuming. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(TrainedModelResource.class)
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
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("invalid-event: $: malformed JSON", "{\"eventType\":".getBytes(StandardCharsets.UTF_8));
        bad.put("invalid-event: schemaVersion: unsupported value 2", Checkpoints.CODEC
                .encodeToString(Checkpoints.event("bad", "bad-1", goodUri, digest))
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2").getBytes(StandardCharsets.UTF_8));
        bad.put("model-outside-store: modelUri 'file:///etc'", encode(Checkpoints.event("bad", "bad-2",
                "file:///etc", digest)));
        bad.put("model-outside-store: modelUri '" + goodUri + "/../../..'", encode(Checkpoints.event("bad",
                "bad-3", goodUri + "/../../..", digest)));
        bad.put("missing-model: no SavedModel at", encode(Checkpoints.event("bad", "bad-4",
                store.checkpointDir("bad", "nothing-here").toUri().toString(), digest)));
        bad.put("digest-mismatch: ", encode(Checkpoints.event("bad", "bad-5", goodUri,
                "sha256:" + "0".repeat(64))));
        Path corrupt = copyOf(good, store.checkpointDir("bad", "corrupt"));
        Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        bad.put("corrupt-model: corrupt SavedModel", encode(Checkpoints.event("bad", "bad-6", corrupt)));
        Path nan = store.checkpointDir("bad", "nan");
        ModelWeights weights = SavedModelReader.read(good);
        float[] kernel = weights.get("conv2/kernel").values().clone();
        kernel[7] = Float.NaN;
        SavedModelWriter.write(weights, nan, Map.of("conv2/kernel", kernel));
        bad.put("non-finite-weights: checkpoint bad-7: layer conv2/kernel holds NaN at index 7",
                encode(Checkpoints.event("bad", "bad-7", nan)));
        for (byte[] record : bad.values()) {
            KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "bad", record);
        }
        CheckpointEvent after = Checkpoints.event("after-bad", "after-bad-e001", good);
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
        List<String> expected = new ArrayList<>(bad.keySet());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(reasons.get(i)).startsWith(expected.get(i));
        }
        assertThat(dead.get(0).value()).as("the original bytes").isEqualTo(bad.values().iterator().next());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String reason : List.of("invalid-event", "model-outside-store", "missing-model", "digest-mismatch",
                "corrupt-model", "non-finite-weights")) {
            assertThat(metrics).containsPattern("pruner_failures_total\\{[^}]*reason=\"" + reason + "\"[^}]*} [1-9]");
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
