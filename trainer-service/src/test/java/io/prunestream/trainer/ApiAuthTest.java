package io.prunestream.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With API keys on, starting or cancelling a run needs one of them; listing runs stays open. */
@QuarkusTest
@TestProfile(ApiAuthTest.KeysRequired.class)
class ApiAuthTest {

    static final String KEY = "trainer-test-key-0123456789";

    public static class KeysRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prunestream.api-auth.enabled", "true", "prunestream.api-auth.keys", KEY);
        }
    }

    @Test
    void startingAndCancellingARunNeedAKey() {
        given().contentType(ContentType.JSON).body("{\"training\": {\"batchSize\": 0}}").post("/runs")
                .then().statusCode(401).body("error", containsString("POST /runs: no API key"));
        given().delete("/runs/some-run").then().statusCode(401);
        given().header("Authorization", "Bearer wrong-key-0123456789").delete("/runs/some-run")
                .then().statusCode(401);
        // With the key the request reaches the endpoint, which judges it.
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"training\": {\"batchSize\": 0}}").post("/runs")
                .then().statusCode(400).body("error", containsString("training.batchSize: 0 is outside"));
        given().header("X-API-Key", KEY).delete("/runs/some-run").then().statusCode(404);
    }

    @Test
    void listingRunsNeedsNoKey() {
        given().get("/runs").then().statusCode(200);
    }
}
