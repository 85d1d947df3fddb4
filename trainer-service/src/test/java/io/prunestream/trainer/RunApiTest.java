package io.prunestream.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.prunestream.kafka.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A bad run spec is a 400 that names the field; unknown runs are 404s. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(SyntheticDatasetResource.class)
class RunApiTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"training\": {\"optimizer\": {\"learningRate\": -1}}}|training.optimizer.learningRate: -1.0 must be",
        "{\"training\": {\"architecture\": {\"name\": \"vgg\"}}}|training.architecture.name: 'vgg' is not one of",
        "{\"training\": {\"architecture\": {\"depth\": 21}}}|training.architecture.depth: 21 is not 6n+2",
        "{\"training\": {\"batchSize\": 0}}|training.batchSize: 0 is outside",
        "{\"training\": {\"batchSize\": \"big\"}}|training.batchSize: ",
        "{\"training\": {\"method\": {\"penalty\": \"l3\"}}}|training.method.penalty: 'l3' is not one of",
        "{\"training\": {\"architecture\": {\"name\": \"resnet\"}, \"method\": {\"tpp\": {}}}}|training.method.tpp.ratio:"
            + " is required",
        "{\"training\": {\"architecture\": {\"name\": \"resnet\"}, \"method\": {\"tpp\": {\"ratio\": 1.5}}}}"
            + "|training.method.tpp.ratio: 1.5 is outside (0, 1)",
        "{\"training\": {\"method\": {\"tpp\": {\"ratio\": 0.5}}}}|training.method.tpp: architecture 'small-cnn'"
            + " has no removable filters",
        "{\"training\": {\"optimizer\": {\"learningrate\": 0.1}}}|training.optimizer.learningrate: unknown field",
        "{\"runId\": \"../etc\"}|runId: '../etc' must be",
        "{\"checkpointEveryEpochs\": 0}|checkpointEveryEpochs: 0 must be at least 1",
        "{\"bottleneck\": {\"beta\": 6}}|bottleneck: architecture small-cnn has no channel groups to gate",
        "{\"training\": {\"architecture\": {\"name\": \"resnet\"}}, \"bottleneck\": {\"flopsTargets\": [1.5]}}"
            + "|bottleneck.flopsTargets: 1.5 is outside (0, 1)",
        "{\"training\": |body: "
    })
    void aBadSpecIsA400ThatNamesTheField(String body, String message) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/runs")
                .then().statusCode(400)
                .body("status", equalTo(400))
                .body("error", startsWith(message));
    }

    @Test
    void anUnknownRunIsA404() {
        given().when().get("/runs/no-such-run")
                .then().statusCode(404).body("error", containsString("no-such-run"));
        given().when().delete("/runs/no-such-run").then().statusCode(404);
    }

    @Test
    void theApiIsDescribedInOpenApi() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200).body(containsString("/runs/{runId}"));
    }
}
