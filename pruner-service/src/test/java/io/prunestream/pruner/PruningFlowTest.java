package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.deploy.Dashboards;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.SavedModelReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A real checkpoint through the real broker becomes 8 variants, once, whatever the number of deliveries. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class PruningFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void aCheckpointBecomesEightVariantsAndAReplayRepublishesTheSameOnes() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path model = store.checkpointDir(TrainedModelResource.RUN, TrainedModelResource.CHECKPOINT);
        CheckpointEvent checkpoint = Checkpoints.event("flow-run", "flow-run-e001", model);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, checkpoint.runId(),
                Checkpoints.CODEC.encode(checkpoint));

        List<VariantEvent> variants = variants(checkpoint.checkpointId(), 8);

        assertThat(variants).hasSize(8);
        assertThat(variants).extracting(VariantEvent::variantId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("flow-run-e001-t"));
        assertThat(variants).extracting(VariantEvent::method).containsOnly(PruningMethod.THRESHOLD,
                PruningMethod.THRESHOLD_MEAN);
        assertThat(variants).extracting(VariantEvent::targetSparsity).containsOnly(0.3, 0.5, 0.7, 0.9);
        for (VariantEvent variant : variants) {
            assertThat(variant.achievedSparsity()).isCloseTo(variant.targetSparsity(), within(1e-3));
            assertThat(variant.recoveryScope()).isEqualTo(variant.method() == PruningMethod.THRESHOLD
                    ? RecoveryScope.NONE : RecoveryScope.FILTER);
            assertThat(variant.layers()).extracting(LayerReport::name)
                    .containsExactly("conv1/kernel", "conv2/kernel", "dense1/kernel", "cosine1/kernel");
            for (LayerReport layer : variant.layers()) {
                assertThat((double) layer.pruned()).isCloseTo(variant.targetSparsity() * layer.parameters(),
                        within(1.0));
            }
            assertThat(variant.storageBytes()).isLessThan(variant.denseBytes());
            Path dir = store.resolve(variant.modelUri());
            assertThat(ModelDigest.of(dir)).isEqualTo(variant.modelDigest());
            assertThat(dir.resolve("pruning.json")).exists();
            float[] kernel = SavedModelReader.read(dir).get("conv2/kernel").values();
            long zeros = 0;
            for (float v : kernel) {
                zeros += v == 0f ? 1 : 0;
            }
            if (variant.method() == PruningMethod.THRESHOLD) {
                assertThat(zeros).isEqualTo(variant.layers().get(1).pruned());
            } else {
                assertThat(zeros).as("mean recovery leaves no zeros").isLessThan(variant.layers().get(1).pruned());
            }
        }

        Path first = store.resolve(variants.get(0).modelUri()).resolve("saved_model.pb");
        long written = Files.getLastModifiedTime(first).toMillis();
        CheckpointEvent replay = Checkpoints.event("flow-run", "flow-run-e001", model);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, replay.runId(), Checkpoints.CODEC.encode(replay));

        List<VariantEvent> all = variants(checkpoint.checkpointId(), 16);
        assertThat(all).hasSize(16);
        Set<String> ids = new HashSet<>();
        all.forEach(v -> ids.add(v.variantId()));
        assertThat(ids).hasSize(8);
        assertThat(Files.getLastModifiedTime(first).toMillis()).as("no variant was written twice").isEqualTo(written);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pruner_variants_produced_total", "pruner_variants_reused_total",
                "pruner_prune_duration_seconds_bucket", "pruner_bytes_written_bytes_total", "pruner_failures_total");
        assertThat(Dashboards.exposedNames(metrics)).as("what the Grafana dashboards read")
                .containsAll(Dashboards.ofRepository().metricNamesExposedBy("pruner"));
    }

    private List<VariantEvent> variants(String checkpointId, int count) throws Exception {
        List<VariantEvent> variants = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.VARIANTS,
                r -> new String(r.value()).contains("\"checkpointId\":\"" + checkpointId + "\""), count,
                Duration.ofSeconds(120))) {
            variants.add(Checkpoints.CODEC.decode(record.value(), VariantEvent.class));
        }
        return variants;
    }
}
