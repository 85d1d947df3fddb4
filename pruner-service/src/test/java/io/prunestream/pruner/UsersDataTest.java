package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' own data and exporters through the real broker and pruner: a colour model calibrated and reconstructed on
 * colour images; a Keras 3 export (two signatures over one function) gets its calibrated variants; a calibration that
 * fails is {@code calibration-failed}, never {@code corrupt-model}; datasets registered over HTTP, whole or not at all;
 * a Keras file where a SavedModel belongs refused with how to export one.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(UsersDataResource.class)
class UsersDataTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @TempDir
    Path temp;

    @Test
    void aColourModelIsCalibratedAndReconstructedOnColourImages() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(UsersDataResource.RUN, UsersDataResource.COLOUR);
        send(CheckpointEvent.create("colour", "colour-1", uri(model), ModelDigest.of(model), "small-cnn", "scenes", 0,
                0, Map.of(), new TrainingMethod("external", 0, Map.of()), new ServingSignature("serving_default",
                        "image", List.of(-1L, 32L, 32L, 3L), List.of("logits"))));

        assertThat(Checkpoints.variants(bootstrap, "colour", 2)).extracting(VariantEvent::variantId)
                .containsExactlyInAnyOrder("colour-1-t-layer-none-s5000", "colour-1-obs-global-s5000");
    }

    @Test
    void aKeras3ExportGetsItsCalibratedVariantsAndAFailedCalibrationIsNamedForWhatItIs() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(UsersDataResource.RUN, UsersDataResource.KERAS3);
        send(Checkpoints.foreign("keras3", "keras3-1", model, "digits", UsersDataResource.KIND));
        assertThat(Checkpoints.variants(bootstrap, "keras3", 4)).extracting(VariantEvent::variantId)
                .containsExactlyInAnyOrder("keras3-1-t-layer-none-s5000", "keras3-1-t-layer-none-s5000-cbn64",
                        "keras3-1-obs-global-s5000", "keras3-1-obs-global-s5000-cbn64");

        send(Checkpoints.foreign("broken", "broken-1", model, "broken-train", UsersDataResource.KIND));
        assertThat(Checkpoints.variants(bootstrap, "broken", 1)).extracting(VariantEvent::variantId)
                .containsExactly("broken-1-t-layer-none-s5000");
        String reason = deadLetters("broken").get(0);
        assertThat(reason).startsWith("calibration-failed: ").contains("train/c3/000013.png");
    }

    @Test
    void aDatasetIsRegisteredWholeOrNotAtAll() throws Exception {
        LabeledImages scenes = ColourScenes.of(SyntheticImages.generate(40, 28, 9), 32, 2);
        Path folder = temp.resolve("mine");
        DatasetWriters.imageFolders(folder, scenes, scenes, UsersDataResource.CLASSES, "jpg", 0.9f);

        given().contentType("application/gzip").body(Archives.tarGz(folder, "mine/")).when()
                .post("/datasets/my-scenes").then().statusCode(201)
                .body("format", equalTo("image-folders")).body("splits.test.images", equalTo(40))
                .body("splits.test.shape", equalTo("[32, 32, 3]"));
        given().get("/datasets").then().statusCode(200).body("name", hasItem("my-scenes"))
                .body("find { it.name == 'my-scenes' }.registered", equalTo(true));
        given().contentType("application/gzip").body(Archives.tarGz(folder, "")).when()
                .post("/datasets/my-scenes").then().statusCode(409)
                .body("error", containsString("'my-scenes' is already in the catalogue"));

        Files.write(folder.resolve("test/c5/000005.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
        given().contentType("application/gzip").body(Archives.tarGz(folder, "")).when()
                .post("/datasets/broken-scenes").then().statusCode(400)
                .body("error", containsString("invalid-dataset: broken-scenes/test/c5/000005.jpg is not a readable image"));
        given().get("/datasets").then().statusCode(200).body("name", not(hasItem("broken-scenes")));
        assertThat(Files.exists(new ModelStore(storeRoot).datasetsDir().resolve("broken-scenes"))).isFalse();
    }

    @Test
    void kerasFilesAreRefusedWithHowToExportASavedModel() {
        byte[] keras = {'P', 'K', 3, 4, 20, 0, 0, 0};
        given().contentType("application/gzip").body(keras).when().post("/checkpoints?runId=k&checkpointId=k-1")
                .then().statusCode(400).body("error", containsString("invalid-upload: the upload is a zip archive,"
                        + " as a Keras .keras file is")).body("error", containsString("model.export('my_model')"));
        byte[] h5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0};
        given().contentType("application/gzip").body(h5).when().post("/checkpoints?runId=k&checkpointId=k-2")
                .then().statusCode(400).body("error", containsString("an HDF5 file, as a Keras .h5 file is"));
    }

    private void send(CheckpointEvent event) throws Exception {
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, event.runId(), Checkpoints.CODEC.encode(event));
    }

    private List<String> deadLetters(String run) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap,
                Topics.deadLetterTopic(Topics.CHECKPOINTS), r -> run.equals(r.key()), 1, Duration.ofSeconds(180))) {
            reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
        return reasons;
    }

    private static String uri(Path model) {
        return model.toUri().toString().replaceAll("/$", "");
    }
}
