package io.prunestream.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.deploy.Dashboards;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FilterSelection;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Topics;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Real training, real model store, real broker: a run publishes a valid checkpoint event per epoch. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(SyntheticDatasetResource.class)
class TrainingFlowTest {

    private static final String SMALL_RUN = """
            {"runId": "%s", "training": {"epochs": %d, "batchSize": 32, "seed": 5, "logEverySteps": 5,
              "optimizer": {"learningRate": 0.01, "schedule": "constant"}}}""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "trainer.model-store")
    Path storeRoot;

    private final EventCodec codec = new EventCodec();

    @Test
    void aRunPublishesAValidCheckpointEventAfterEachEpoch() throws Exception {
        String runId = "flow-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(SMALL_RUN.formatted(runId, 2))
                .when().post("/runs")
                .then().statusCode(202)
                .header("Location", containsString("/runs/" + runId))
                .body("runId", equalTo(runId));

        JsonNode run = awaitStatus(runId, "SUCCEEDED");

        assertThat(run.get("epochs")).hasSize(2);
        assertThat(run.get("epochs").get(1).get("testAccuracy").asDouble()).isGreaterThan(0.5);
        assertThat(run.get("progress").get("step").asLong()).isEqualTo(40);
        assertThat(run.get("method").asText()).isEqualTo("hyperspherical+l1");

        List<CheckpointEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.CHECKPOINTS,
                r -> runId.equals(r.key()), 2, Duration.ofSeconds(30))) {
            assertThat(record.key()).isEqualTo(runId);
            events.add(codec.decode(record.value(), CheckpointEvent.class)); // validates against the schema
        }
        assertThat(events).extracting(CheckpointEvent::epoch).containsExactly(1, 2);
        CheckpointEvent last = events.get(1);
        assertThat(last.checkpointId()).isEqualTo(runId + "-e002");
        assertThat(last.architecture()).isEqualTo("small-cnn");
        assertThat(last.dataset()).isEqualTo("synthetic");
        assertThat(last.training().method()).isEqualTo("hyperspherical+l1");
        assertThat(last.training().seed()).isEqualTo(5);
        assertThat(last.training().hyperparameters()).containsEntry("lambda", 10.0).containsEntry("batchSize", 32);
        assertThat(last.metrics()).containsKeys("trainLoss", "trainAccuracy", "testLoss", "testAccuracy");
        assertThat(last.signature().inputName()).isEqualTo("image");
        assertThat(last.signature().inputShape()).containsExactly(-1L, 28L, 28L, 1L);
        assertThat(last.signature().outputNames()).containsExactly("logits", "probabilities");
        assertThat(last.preprocessing()).as("the trainer declares how its models are fed")
                .isEqualTo(io.prunestream.events.Preprocessing.DEFAULT);
        // What a structured method needs to rebuild the network: the trainer's own pixel statistics included.
        assertThat(last.network().family()).isEqualTo("small-cnn");
        assertThat(last.network().inputShape()).containsExactly(28, 28, 1);
        assertThat(last.network().classes()).isEqualTo(10);
        assertThat(last.network().pixelStd()).isPositive();
        assertThat(last.cost().parameters()).isPositive();
        assertThat(last.cost().multiplyAdds()).isGreaterThan(last.cost().parameters());
        assertThat(last.filters()).as("only TPP chooses filters").isNull();

        Path model = new ModelStore(storeRoot).resolve(last.modelUri());
        assertThat(model.resolve("saved_model.pb")).exists();
        assertThat(ModelDigest.of(model)).isEqualTo(last.modelDigest());
        JsonNode provenance = new ObjectMapper().readTree(model.resolve("provenance.json").toFile());
        assertThat(provenance.get("seed").asLong()).isEqualTo(5);
        assertThat(provenance.get("spec").get("optimizer").get("learningRate").asDouble()).isEqualTo(0.01);
        assertThat(provenance.get("versions").get("tensorflow").asText()).isNotBlank();
        assertThat(provenance.get("versions").get("quarkus").asText()).startsWith("3.");

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("trainer_checkpoints_published_total", "trainer_progress_epoch",
                "trainer_images_per_second", "trainer_epoch_test_accuracy", "trainer_runs_finished_total");
        assertThat(Dashboards.exposedNames(metrics)).as("what the Grafana dashboards read")
                .containsAll(Dashboards.ofRepository().metricNamesExposedBy("trainer"));
    }

    @Test
    void aRunOnAColourDatasetTakesItsInputShapeAndClassesFromIt() throws Exception {
        String runId = "colour-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"runId": "%s", "dataset": "scenes", "training": {"epochs": 2, "batchSize": 32, "seed": 3,
                  "optimizer": {"name": "adam", "learningRate": 0.003, "schedule": "constant"}}}""".formatted(runId))
                .when().post("/runs").then().statusCode(202);

        JsonNode run = awaitStatus(runId, "SUCCEEDED");

        assertThat(run.get("epochs").get(1).get("testAccuracy").asDouble()).as("learned something").isGreaterThan(0.3);
        CheckpointEvent event = codec.decode(KafkaTestClients.read(bootstrap, Topics.CHECKPOINTS,
                r -> runId.equals(r.key()), 2, Duration.ofSeconds(30)).get(1).value(), CheckpointEvent.class);
        assertThat(event.dataset()).isEqualTo("scenes");
        assertThat(event.signature().inputShape()).containsExactly(-1L, 32L, 32L, 3L);
        assertThat(event.network().inputShape()).containsExactly(32, 32, 3);
        assertThat(event.network().classes()).isEqualTo(10);
    }

    @Test
    void anUnknownDatasetOrAnInputShapeTheDatasetContradictsIsRefusedByName() throws Exception {
        given().contentType(ContentType.JSON).body("{\"dataset\": \"cifar-100\"}").when().post("/runs")
                .then().statusCode(400).body("error", containsString("dataset: dataset 'cifar-100' is not in this"
                        + " deployment's catalogue (it has fashion-mnist, scenes, synthetic)"));
        String runId = "contradicted-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"runId": "%s", "dataset": "scenes", "training": {"epochs": 1,
                  "architecture": {"inputShape": [28, 28, 1]}}}""".formatted(runId))
                .when().post("/runs").then().statusCode(202);
        JsonNode run = awaitStatus(runId, "FAILED");
        assertThat(run.get("error").asText()).isEqualTo("architecture.inputShape: [28, 28, 1] but dataset 'scenes'"
                + " has images of [32, 32, 3] (leave it out to take the dataset's)");
    }

    @Test
    void aTppRunsCheckpointsCarryTheFiltersItChoseOnceSplit() throws Exception {
        String runId = "tpp-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"runId": "%s", "training": {"epochs": 3, "batchSize": 32, "seed": 5,
                  "architecture": {"name": "resnet", "depth": 8, "width": 4},
                  "optimizer": {"learningRate": 0.05, "weightDecay": 0.0005},
                  "method": {"tpp": {"ratio": 0.5, "splitEpochs": 1, "rampEpochs": 1}}}}""".formatted(runId))
                .when().post("/runs").then().statusCode(202);

        JsonNode run = awaitStatus(runId, "SUCCEEDED");

        assertThat(run.get("method").asText()).isEqualTo("tpp");
        List<CheckpointEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.CHECKPOINTS,
                r -> runId.equals(r.key()), 3, Duration.ofSeconds(30))) {
            events.add(codec.decode(record.value(), CheckpointEvent.class));
        }
        assertThat(events).extracting(CheckpointEvent::epoch).containsExactly(1, 2, 3);
        assertThat(events.get(0).filters()).as("nothing chosen before the split").isNull();
        FilterSelection chosen = events.get(2).filters();
        assertThat(chosen.method()).isEqualTo("tpp");
        assertThat(chosen.ratio()).isEqualTo(0.5);
        assertThat(chosen.removed()).extracting(List::size).containsExactly(2, 4, 8);
        assertThat(events.get(1).filters().removed()).isEqualTo(chosen.removed());
        assertThat(events.get(2).training().hyperparameters()).containsEntry("tppRatio", 0.5)
                .containsEntry("tppGramWeight", 20.0);
        // resnet8-w4 on 28x28x1, counted layer by layer as the graph was built.
        assertThat(events.get(2).cost().parameters()).isEqualTo(NetworkStructure.of(new NetworkSpec(
                new ArchitectureSpec("resnet", 8, 4, null, null), false, 0.5f, 0.5f, List.of())).total().parameters());
    }

    @Test
    void runsQueueOneAtATimeAndCanBeCancelled() {
        String first = "long-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "queued-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(SMALL_RUN.formatted(first, 200)).post("/runs").then()
                .statusCode(202);
        given().contentType(ContentType.JSON).body(SMALL_RUN.formatted(second, 1)).post("/runs").then()
                .statusCode(202);
        awaitStatus(first, "RUNNING");
        given().get("/runs/" + second).then().body("status", equalTo("QUEUED"));

        given().delete("/runs/" + second).then().statusCode(202).body("status", equalTo("CANCELLED"));
        given().delete("/runs/" + first).then().statusCode(202);
        awaitStatus(first, "CANCELLED");

        given().delete("/runs/" + first).then().statusCode(409);
        given().contentType(ContentType.JSON).body(SMALL_RUN.formatted(first, 1)).post("/runs").then()
                .statusCode(409).body("error", containsString("already used"));
        assertThat(given().get("/runs").then().statusCode(200).extract().jsonPath().getList("runId"))
                .contains(first, second);
    }

    private static JsonNode awaitStatus(String runId, String status) {
        ObjectMapper json = new ObjectMapper();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response response = given().get("/runs/" + runId);
            last[0] = json.readTree(response.asString());
            String actual = last[0].get("status").asText();
            if (!actual.equals(status) && List.of("FAILED", "SUCCEEDED", "CANCELLED").contains(actual)) {
                throw new IllegalStateException(runId + " ended " + actual + " while " + status + " was awaited: "
                        + last[0].get("error"));
            }
            assertThat(actual).isEqualTo(status);
        });
        return last[0];
    }
}
