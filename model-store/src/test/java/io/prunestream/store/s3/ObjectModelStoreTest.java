package io.prunestream.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.objectstore.LocalObjectStore;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.StagedDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The model store in a bucket against a real S3 protocol server (S3Proxy on a folder): two stores with their own
 * local folders play two pods that share nothing but the bucket; a plain S3 client plays everyone else.
 */
class ObjectModelStoreTest {

    private static final String IDENTITY = "test-identity";
    private static final String CREDENTIAL = "test-credential";

    @TempDir
    static Path serverDir;

    @TempDir
    Path podA;

    @TempDir
    Path podB;

    private static LocalObjectStore server;
    private static S3Client plain;

    @BeforeAll
    static void startServer() throws Exception {
        server = LocalObjectStore.start(serverDir, 0, IDENTITY, CREDENTIAL, "models", "other-tenant");
        // The SDK's default chain reads these, as it reads AWS_ACCESS_KEY_ID in a container.
        System.setProperty("aws.accessKeyId", IDENTITY);
        System.setProperty("aws.secretAccessKey", CREDENTIAL);
        plain = client(CREDENTIAL);
    }

    @AfterAll
    static void stopServer() throws Exception {
        plain.close();
        server.close();
    }

    @Test
    void aVariantIsVisibleOnlyOnceCompleteAndAReplayRewritesNothing() throws Exception {
        try (ModelStore a = store(podA, Duration.ofSeconds(5)); ModelStore b = store(podB, Duration.ofSeconds(5))) {
            assertThat(b.fetchPublished(b.variantDir("run-1", "v1"))).isFalse();
            // Committing a staged folder publishes it: objects first, the manifest last.
            Path written = write(a, a.variantDir("run-1", "v1"), 1);
            String uri = a.uriOf(written);
            assertThat(uri).isEqualTo("s3://models/team-a/variants/run-1/v1");
            List<S3Object> first = objects("team-a/variants/run-1/v1/");
            assertThat(first).extracting(S3Object::key).contains("team-a/variants/run-1/v1/" + Manifest.NAME,
                    "team-a/variants/run-1/v1/saved_model.pb", "team-a/variants/run-1/v1/variables/variables.data");

            // Pod B replays the same checkpoint: it finds the variant complete and brings it over.
            assertThat(b.fetchPublished(b.variantDir("run-1", "v1"))).isTrue();
            assertThat(ModelDigest.of(b.variantDir("run-1", "v1"))).isEqualTo(ModelDigest.of(written));
            b.publish(b.variantDir("run-1", "v1"));
            assertThat(objects("team-a/variants/run-1/v1/")).extracting(S3Object::eTag, S3Object::lastModified)
                    .isEqualTo(first.stream().map(o -> org.assertj.core.groups.Tuple.tuple(o.eTag(),
                            o.lastModified())).toList());

            Path scored = b.verifiedModel(uri, ModelDigest.of(written));
            assertThat(ModelDigest.of(scored)).isEqualTo(ModelDigest.of(written));
        }
    }

    @Test
    void whatOneReplicaArchivesAnotherFindsInTheBucket() throws Exception {
        try (ModelStore a = store(podA, Duration.ofSeconds(5)); ModelStore b = store(podB, Duration.ofSeconds(5))) {
            a.archive("evaluations").write("run-1", "v1.json", new byte[] {'{', '}'});

            assertThat(objects("team-a/archives/evaluations/")).extracting(S3Object::key)
                    .containsExactly("team-a/archives/evaluations/run-1/v1.json");
            assertThat(b.archive("evaluations").read("run-1", "v1.json")).hasValue(new byte[] {'{', '}'});
            assertThat(b.archive("evaluations").read("run-1", "v2.json")).isEmpty();
            assertThat(b.archive("evaluations").runs()).containsExactly("run-1");
            assertThat(b.archive("evaluations").names("run-1")).containsExactly("v1.json");
            assertThat(b.archive("variant-events").runs()).isEmpty();
            assertThat(podB.resolve("evaluations")).as("nothing on the replica's own disk").doesNotExist();
        }
    }

    @Test
    void aCrashedWriterLeavesNothingVisibleAndTheNextAttemptCleansUp() throws Exception {
        put("team-a/variants/run-1/v2/saved_model.pb", new byte[] {1, 2});
        put("team-a/variants/run-1/v2/stale.bin", new byte[] {3});
        try (ModelStore a = store(podA, Duration.ofSeconds(5)); ModelStore b = store(podB, Duration.ofSeconds(5))) {
            assertThat(b.fetchPublished(b.variantDir("run-1", "v2"))).isFalse();
            assertThatThrownBy(() -> b.verifiedModel("s3://models/team-a/variants/run-1/v2", "sha256:00"))
                    .isInstanceOfSatisfying(ModelStoreException.class, e -> {
                        assertThat(e.reason().code()).isEqualTo("model-not-found");
                        assertThat(e).hasMessageContaining("s3://models/team-a/variants/run-1/v2")
                                .hasMessageContaining("no " + Manifest.NAME);
                    });

            write(a, a.variantDir("run-1", "v2"), 2);
            assertThat(objects("team-a/variants/run-1/v2/")).extracting(S3Object::key)
                    .doesNotContain("team-a/variants/run-1/v2/stale.bin")
                    .contains("team-a/variants/run-1/v2/" + Manifest.NAME);
        }
    }

    @Test
    void readsAModelThatAPlainS3ClientPutThere() throws Exception {
        Path original = podB.resolve("exported");
        writeModel(original, 3);
        for (String file : List.of("saved_model.pb", "variables/variables.data", "variables/variables.index")) {
            put("incoming/m1/" + file, Files.readAllBytes(original.resolve(file)));
        }
        put("incoming/m1/variables/", new byte[0]);
        try (ModelStore a = store(podA, Duration.ofSeconds(5))) {
            Path model = a.verifiedModel("s3://models/incoming/m1/", ModelDigest.of(original));
            assertThat(ModelDigest.of(model)).isEqualTo(ModelDigest.of(original));
            assertThatThrownBy(() -> a.verifiedModel("s3://models/incoming/m1", "sha256:" + "0".repeat(64)))
                    .isInstanceOfSatisfying(ModelStoreException.class,
                            e -> assertThat(e.reason().code()).isEqualTo("digest-mismatch"));
        }
    }

    @Test
    void namesEachFault() throws Exception {
        put("team-a/variants/run-1/v4/saved_model.pb", new byte[] {1});
        try (ModelStore a = store(podA, Duration.ofSeconds(5))) {
            assertFault(a, "s3://models/incoming/nothing-here", "model-not-found");
            assertFault(a, "s3://no-such-bucket/m", "model-not-found");
            assertFault(a, "s3://other-tenant/m", "model-access-denied");
            assertFault(a, "s3://models/a/../../etc", "model-outside-store");
        }
        // A key pair the server refuses: 403, never retried.
        Path cache = podB.resolve("cache");
        ObjectStoreSettings settings = settings(Duration.ofSeconds(30));
        try (ModelStore wrongKey = new ModelStore(cache, new ObjectStore(client("wrong-credential"), settings))) {
            long started = System.nanoTime();
            assertFault(wrongKey, "s3://models/incoming/m1", "model-access-denied");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anObjectThatDiffersFromItsManifestIsACorruptModel() throws Exception {
        try (ModelStore a = store(podA, Duration.ofSeconds(5)); ModelStore b = store(podB, Duration.ofSeconds(5))) {
            Path written = write(a, a.variantDir("run-1", "v5"), 5);
            // Same size, other bytes: only the SHA-256 tells.
            put("team-a/variants/run-1/v5/variables/variables.data", new byte[4096]);
            assertThatThrownBy(() -> b.verifiedModel(a.uriOf(written), ModelDigest.of(written)))
                    .isInstanceOfSatisfying(ModelStoreException.class, e -> {
                        assertThat(e.reason().code()).isEqualTo("corrupt-model");
                        assertThat(e).hasMessageContaining("variables/variables.data")
                                .hasMessageContaining("differs from its manifest");
                    });
            assertThat(b.variantDir("run-1", "v5")).doesNotExist();
        }
    }

    @Test
    void aLargeFileGoesUpInPartsAndComesBackWhole() throws Exception {
        try (ModelStore a = store(podA, Duration.ofSeconds(5)); ModelStore b = store(podB, Duration.ofSeconds(5))) {
            Path target = a.checkpointDir("run-2", "big");
            try (StagedDirectory staged = a.stage(target)) {
                writeModel(staged.path(), 6);
                byte[] large = new byte[12 << 20];
                new Random(6).nextBytes(large);
                Files.write(staged.path().resolve("variables/variables.data"), large);
                staged.commit();
            }
            // S3 gives an object put in parts the ETag "<md5 of the parts' md5s>-<parts>": 12 MB in 5 MB parts, 3.
            assertThat(plain.headObject(r -> r.bucket("models").key("team-a/checkpoints/run-2/big/variables/"
                    + "variables.data")).eTag()).endsWith("-3\"");
            Path copy = b.verifiedModel(a.uriOf(target), ModelDigest.of(target));
            assertThat(Files.size(copy.resolve("variables/variables.data"))).isEqualTo(12 << 20);
            assertThat(ModelDigest.of(copy)).isEqualTo(ModelDigest.of(target));
        }
    }

    @Test
    void anOutageShorterThanTheRetriesOnlyDelays() throws Exception {
        put("incoming/m7/saved_model.pb", new byte[] {7});
        int port = server.port();
        try (ModelStore a = store(podA, Duration.ofSeconds(30))) {
            server.close();
            Thread restart = new Thread(() -> {
                try {
                    Thread.sleep(2_000);
                    server = LocalObjectStore.start(serverDir, port, IDENTITY, CREDENTIAL);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restart.start();
            Path model = a.resolve("s3://models/incoming/m7");
            restart.join();
            assertThat(Files.readAllBytes(model.resolve("saved_model.pb"))).containsExactly(7);
        }
    }

    @Test
    void anOutageLongerThanTheRetriesIsNamed() throws Exception {
        int port = server.port();
        try (ModelStore a = store(podA, Duration.ofSeconds(1))) {
            server.close();
            assertFault(a, "s3://models/incoming/m8", "store-unavailable");
        } finally {
            server = LocalObjectStore.start(serverDir, port, IDENTITY, CREDENTIAL);
        }
    }

    private static void assertFault(ModelStore store, String uri, String reason) {
        assertThatThrownBy(() -> store.verifiedModel(uri, "sha256:00"))
                .isInstanceOfSatisfying(ModelStoreException.class, e -> {
                    assertThat(e.reason().code()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(uri.replace("/a/../../etc", "")).doesNotContain(CREDENTIAL);
                });
    }

    private static ObjectStoreSettings settings(Duration retryFor) {
        return new ObjectStoreSettings("models", "team-a", Optional.of(server.endpoint()), "us-east-1", true,
                Set.of("no-such-bucket"), 64L << 20, 5L << 20, retryFor);
    }

    private static ModelStore store(Path root, Duration retryFor) throws ModelStoreException {
        return new ModelStore(root, ObjectStore.open(settings(retryFor)));
    }

    private static Path write(ModelStore store, Path target, int seed) throws Exception {
        try (StagedDirectory staged = store.stage(target)) {
            writeModel(staged.path(), seed);
            staged.commit();
        }
        return target;
    }

    private static void writeModel(Path folder, int seed) throws Exception {
        Files.createDirectories(folder.resolve("variables"));
        byte[] weights = new byte[4096];
        new Random(seed).nextBytes(weights);
        Files.write(folder.resolve("saved_model.pb"), ("graph " + seed).getBytes(StandardCharsets.UTF_8));
        Files.write(folder.resolve("variables/variables.data"), weights);
        Files.write(folder.resolve("variables/variables.index"), new byte[] {(byte) seed});
    }

    private static void put(String key, byte[] content) {
        plain.putObject(r -> r.bucket("models").key(key), RequestBody.fromBytes(content));
    }

    private static List<S3Object> objects(String prefix) {
        return plain.listObjectsV2(r -> r.bucket("models").prefix(prefix)).contents();
    }

    private static S3Client client(String credential) {
        return S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY,
                        credential)))
                .build();
    }
}
