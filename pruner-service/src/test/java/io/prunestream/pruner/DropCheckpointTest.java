package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Topics;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Dropping a model over HTTP: by path or as an upload; hostile archives are refused and nothing leaves the store. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class DropCheckpointTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void aModelInTheStoreIsRegisteredWithItsOwnSignatureAndPublished() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"modelPath\": \"checkpoints/test-run/test-run-e001\", \"runId\": \"dropped\","
                        + " \"checkpointId\": \"dropped-1\", \"dataset\": \"synthetic\"}")
                .when().post("/checkpoints")
                .then().statusCode(202)
                .body("checkpoint.checkpointId", org.hamcrest.Matchers.equalTo("dropped-1"))
                .body("checkpoint.signature.inputName", org.hamcrest.Matchers.equalTo("image"))
                .body("variants", hasSize(8))
                .body("variants[0].modelUri", startsWith("file:"));

        CheckpointEvent event = Checkpoints.CODEC.decode(KafkaTestClients.read(bootstrap, Topics.CHECKPOINTS,
                r -> "dropped".equals(r.key()), 1, Duration.ofSeconds(30)).get(0).value(), CheckpointEvent.class);
        assertThat(event.training().method()).isEqualTo("external");
        assertThat(event.signature().inputShape()).containsExactly(-1L, 28L, 28L, 1L);
        assertThat(event.signature().outputNames()).containsExactly("logits", "probabilities");
        assertThat(KafkaTestClients.read(bootstrap, Topics.VARIANTS, r -> "dropped".equals(r.key()), 8,
                Duration.ofSeconds(120))).hasSize(8);
    }

    @Test
    void anUploadedArchiveIsUnpackedIntoTheStoreAndPruned() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(TrainedModelResource.RUN,
                TrainedModelResource.CHECKPOINT);
        byte[] archive = Archives.tarGz(model, "my-model/");

        given().contentType("application/gzip").body(archive)
                .queryParam("runId", "uploaded").queryParam("checkpointId", "uploaded-1")
                .when().post("/checkpoints")
                .then().statusCode(202).body("variants", hasSize(8));

        assertThat(storeRoot.resolve("checkpoints/uploaded/uploaded-1/saved_model.pb")).exists();
        assertThat(KafkaTestClients.read(bootstrap, Topics.VARIANTS, r -> "uploaded".equals(r.key()), 8,
                Duration.ofSeconds(120))).hasSize(8);
    }

    @Test
    void hostileArchivesAreRefusedAndWriteNothingOutsideTheStore() throws Exception {
        Path outside = storeRoot.getParent().resolve("escaped.txt");
        refuse(archive(entry("../../escaped.txt", 10)), "points outside the folder it unpacks into");
        refuse(archive(entry("/tmp/escaped.txt", 10)), "points outside the folder it unpacks into");
        refuse(archive(link("variables", "/etc")), "is a link");
        refuse(archive(entry("saved_model.pb", 20_000_000)), "unpacks to more than 16000000 bytes (pruner.max-upload-bytes");
        refuse("not gzip at all".getBytes(), "not a readable .tar.gz");
        refuse(archive(entry("notes.txt", 10)), "no saved_model.pb");
        assertThat(outside).doesNotExist();
        given().contentType(ContentType.JSON).body("{\"modelPath\": \"../../etc\", \"runId\": \"x\"}")
                .when().post("/checkpoints")
                .then().statusCode(400).body("error", startsWith("model-outside-store: modelPath '../../etc'"));
        given().contentType(ContentType.JSON).body("{\"modelPath\": \"checkpoints/test-run/test-run-e001\"}")
                .when().post("/checkpoints")
                .then().statusCode(400).body("error", startsWith("runId: is required"));
    }

    private static void refuse(byte[] archive, String message) {
        given().contentType("application/gzip").body(archive).queryParam("runId", "hostile")
                .when().post("/checkpoints")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString(message));
    }

    private record Entry(TarArchiveEntry header, int size) {
    }

    private static Entry entry(String name, int size) {
        TarArchiveEntry header = new TarArchiveEntry(name, true);
        header.setSize(size);
        return new Entry(header, size);
    }

    private static Entry link(String name, String target) {
        TarArchiveEntry header = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        header.setLinkName(target);
        return new Entry(header, 0);
    }

    private static byte[] archive(Entry... entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                tar.putArchiveEntry(entry.header());
                tar.write(new byte[entry.size()]);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
