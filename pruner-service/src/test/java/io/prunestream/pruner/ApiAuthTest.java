package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.prunestream.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With API keys on, dropping a checkpoint needs one of them; reading stays open. */
@QuarkusTest
@TestProfile(ApiAuthTest.KeysRequired.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class ApiAuthTest {

    static final String KEY = "pruner-test-key-0123456789";

    public static class KeysRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prunestream.api-auth.enabled", "true",
                    "prunestream.api-auth.keys", "an-older-key-0123456789," + KEY);
        }
    }

    @Test
    void droppingACheckpointNeedsAKey() {
        given().contentType(ContentType.JSON).body("{}").post("/checkpoints")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("POST /checkpoints: no API key"));
        given().contentType("application/gzip").body(new byte[] {1, 2, 3}).post("/checkpoints")
                .then().statusCode(401);
        given().header("X-API-Key", "not-the-key-0123456789").contentType(ContentType.JSON).body("{}")
                .post("/checkpoints")
                .then().statusCode(401).body("error", containsString("not one of prunestream.api-auth.keys"))
                .body("error", not(containsString("not-the-key")));
        // Past the key, the request reaches the endpoint, which judges the body.
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body("{}")
                .post("/checkpoints").then().statusCode(400);
        given().header("X-API-Key", "an-older-key-0123456789").contentType(ContentType.JSON).body("{}")
                .post("/checkpoints").then().statusCode(400);
    }

    @Test
    void fetchingAVariantNeedsAKey() {
        given().get("/variants/some-variant").then().statusCode(401)
                .body("error", containsString("GET /variants/some-variant: no API key"));
        given().get("/variants/some-variant/savedmodel.tar.gz").then().statusCode(401);
        // Past the key, the endpoint answers: there is no such variant.
        given().header("Authorization", "Bearer " + KEY).get("/variants/some-variant").then().statusCode(404);
    }

    @Test
    void readingNeedsNoKey() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
