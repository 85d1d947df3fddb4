package io.prunestream.pruner;

import io.prunestream.datasets.SyntheticImages;
import io.prunestream.objectstore.LocalObjectStore;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A pruner that keeps its models in a bucket of a real S3 protocol server (S3Proxy on a folder), sharing no folder
 * with anyone: the trained small CNN is put into {@code s3://models/incoming/cnn/} by a plain S3 client, as a user's
 * pipeline would; the bucket {@code other-tenant} exists but is not one the pruner may read.
 */
public class ObjectStoreResource implements QuarkusTestResourceLifecycleManager {

    static final String IDENTITY = "pruner-test-identity";
    static final String CREDENTIAL = "pruner-test-credential";
    static final String MODEL_URI = "s3://models/incoming/cnn";
    static final String DIGEST_PROPERTY = "prunestream.test.incoming-digest";

    private static LocalObjectStore server;

    static LocalObjectStore server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("pruner-object-store-test-");
            server = LocalObjectStore.start(dir.resolve("server"), 0, IDENTITY, CREDENTIAL, "models", "other-tenant");
            Path model = dir.resolve("exported");
            TrainedModels.smallCnn(model);
            try (S3Client client = client(); Stream<Path> files = Files.walk(model)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String key = "incoming/cnn/" + model.relativize(file).toString().replace('\\', '/');
                    client.putObject(r -> r.bucket("models").key(key), RequestBody.fromFile(file));
                }
            }
            System.setProperty(DIGEST_PROPERTY, io.prunestream.store.ModelDigest.of(model));
            // The SDK's default credential chain reads these, as it reads AWS_ACCESS_KEY_ID in a container.
            System.setProperty("aws.accessKeyId", IDENTITY);
            System.setProperty("aws.secretAccessKey", CREDENTIAL);
            Path data = dir.resolve("data");
            SyntheticImages.writeIdx(data, 320, 100, 28);
            return Map.ofEntries(Map.entry("pruner.model-store", dir.resolve("local").toString()),
                    Map.entry("prunestream.object-store.bucket", "models"),
                    Map.entry("prunestream.object-store.endpoint", server.endpoint().toString()),
                    Map.entry("prunestream.object-store.retry-for", "10s"),
                    Map.entry("pruner.datasets.synthetic.dir", data.toString()),
                    Map.entry("pruner.datasets.fashion-mnist.dir", data.toString()),
                    Map.entry("pruner.calibration.modes", "none"),
                    Map.entry("pruner.methods", "threshold,threshold+mean"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the S3 server: " + e.getMessage(), e);
        }
    }

    static S3Client client() {
        return S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY,
                        CREDENTIAL)))
                .build();
    }

    static List<String> keys(String prefix) {
        try (S3Client client = client()) {
            return client.listObjectsV2(r -> r.bucket("models").prefix(prefix)).contents().stream()
                    .map(o -> o.key() + "@" + o.eTag() + "@" + o.lastModified()).toList();
        }
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
