package io.prunestream.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.StagedDirectory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same protocol against MinIO, the store docker-compose.yml and deploy/k8s run, where a Docker engine answers
 * (skipped with the reason elsewhere; {@link ObjectModelStoreTest} covers every case against S3Proxy in any build).
 */
class MinioContainerTest {

    private static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    @TempDir
    Path dir;

    @Test
    void publishesReplaysAndReadsAForeignModelOnMinio() throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine answers: MinIO is not tried here (S3Proxy is, in ObjectModelStoreTest)");
        try (MinIOContainer minio = new MinIOContainer(IMAGE)) {
            minio.start();
            System.setProperty("aws.accessKeyId", minio.getUserName());
            System.setProperty("aws.secretAccessKey", minio.getPassword());
            try (S3Client plain = S3Client.builder().endpointOverride(URI.create(minio.getS3URL()))
                    .forcePathStyle(true).region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider
                            .create(AwsBasicCredentials.create(minio.getUserName(), minio.getPassword()))).build()) {
                plain.createBucket(r -> r.bucket("models"));
                plain.putObject(r -> r.bucket("models").key("incoming/m/saved_model.pb"),
                        RequestBody.fromString("graph", StandardCharsets.UTF_8));
            }
            ObjectStoreSettings settings = new ObjectStoreSettings("models", "", Optional.of(URI.create(
                    minio.getS3URL())), "us-east-1", true, Set.of(), 64L << 20, 5L << 20, Duration.ofSeconds(10));
            try (ModelStore a = new ModelStore(dir.resolve("a"), ObjectStore.open(settings));
                    ModelStore b = new ModelStore(dir.resolve("b"), ObjectStore.open(settings))) {
                Path target = a.variantDir("run", "v");
                try (StagedDirectory staged = a.stage(target)) {
                    Files.write(staged.path().resolve("saved_model.pb"), new byte[6 << 20]);
                    staged.commit();
                }
                Path copy = b.verifiedModel(a.uriOf(target), ModelDigest.of(target));
                assertThat(ModelDigest.of(copy)).isEqualTo(ModelDigest.of(target));
                a.publish(target);
                Path foreign = b.resolve("s3://models/incoming/m");
                assertThat(Files.readString(foreign.resolve("saved_model.pb"))).isEqualTo("graph");
            }
        }
    }
}
