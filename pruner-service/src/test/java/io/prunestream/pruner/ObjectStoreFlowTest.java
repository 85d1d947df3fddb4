package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.s3.Manifest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The pruner on a bucket instead of a shared folder: a model a plain S3 client put there is pruned, each variant
 * lands in the bucket with its manifest, a replay rewrites no object, a variant downloads over HTTP from the store,
 * and the bucket's faults get their own dead-letter reasons.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ObjectStoreResource.class)
class ObjectStoreFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aModelInABucketIsPrunedIntoTheBucketAndAReplayRewritesNothing() throws Exception {
        CheckpointEvent event = Checkpoints.event("s3-run", "s3-run-e001", ObjectStoreResource.MODEL_URI,
                System.getProperty(ObjectStoreResource.DIGEST_PROPERTY));
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, event.runId(), Checkpoints.CODEC.encode(event));
        List<VariantEvent> variants = Checkpoints.variants(bootstrap, "s3-run", 8);
        assertThat(variants).hasSize(8).allSatisfy(v -> assertThat(v.modelUri())
                .isEqualTo("s3://models/variants/s3-run/" + v.variantId()));
        List<String> objects = ObjectStoreResource.keys("variants/s3-run/");
        assertThat(objects.stream().filter(k -> k.contains("/" + Manifest.NAME + "@"))).hasSize(8);

        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, event.runId(), Checkpoints.CODEC.encode(event));
        List<VariantEvent> replayed = Checkpoints.variants(bootstrap, "s3-run", 16).subList(8, 16);
        assertThat(replayed).extracting(VariantEvent::modelUri, VariantEvent::modelDigest)
                .containsExactlyInAnyOrderElementsOf(variants.stream().map(v -> org.assertj.core.groups.Tuple.tuple(
                        v.modelUri(), v.modelDigest())).toList());
        assertThat(ObjectStoreResource.keys("variants/s3-run/")).as("no object rewritten").isEqualTo(objects);

        byte[] archive = given().get("/variants/" + variants.get(0).variantId() + "/savedmodel.tar.gz").then()
                .statusCode(200).extract().asByteArray();
        assertThat(archive.length).isGreaterThan(1000);
    }

    @Test
    void theBucketsFaultsAreNamedInTheDeadLetter() throws Exception {
        String digest = System.getProperty(ObjectStoreResource.DIGEST_PROPERTY);
        List<CheckpointEvent> bad = List.of(
                Checkpoints.event("s3-bad", "s3-bad-1", "s3://models/incoming/nothing-here", digest),
                Checkpoints.event("s3-bad", "s3-bad-2", "s3://other-tenant/incoming/cnn", digest),
                Checkpoints.event("s3-bad", "s3-bad-3", "s3://models/incoming/../../etc", digest));
        for (CheckpointEvent event : bad) {
            KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, event.runId(), Checkpoints.CODEC.encode(event));
        }
        List<ConsumerRecord<String, byte[]>> dead = KafkaTestClients.read(bootstrap,
                Topics.deadLetterTopic(Topics.CHECKPOINTS), r -> "s3-bad".equals(r.key()), 3, Duration.ofSeconds(90));
        List<String> reasons = dead.stream().map(r -> new String(r.headers()
                .lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(), StandardCharsets.UTF_8)).toList();
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0)).startsWith("model-not-found: ").contains("s3://models/incoming/nothing-here");
        assertThat(reasons.get(1)).startsWith("model-access-denied: ").contains("other-tenant");
        assertThat(reasons.get(2)).startsWith("model-outside-store: ");
        assertThat(reasons).allSatisfy(r -> assertThat(r).doesNotContain(ObjectStoreResource.CREDENTIAL));
    }
}
