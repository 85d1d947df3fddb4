package io.prunestream.store.s3;

import io.prunestream.store.ModelStoreException;
import io.prunestream.store.ModelStoreException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * The S3 calls the store makes, each with one retry policy and one naming of faults: throttling, 5xx answers and
 * network failures are retried with exponential backoff and full jitter until {@code retryFor} has passed; a 404 is
 * {@code NOT_FOUND}, a 403 {@code ACCESS_DENIED}, the rest {@code OTHER}; every message names the URI. Credentials
 * come from the SDK's default chain (environment, profile, web identity for a cluster's service accounts) and never
 * appear in a message.
 */
public final class ObjectStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ObjectStore.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final S3Client client;
    private final ObjectStoreSettings settings;
    private final MultipartUpload multipart;

    public ObjectStore(S3Client client, ObjectStoreSettings settings) {
        this.client = client;
        this.settings = settings;
        this.multipart = new MultipartUpload(client, settings.partBytes());
    }

    /** A client for the configured endpoint; its own retries are off, {@link #call} is the one policy. */
    public static ObjectStore open(ObjectStoreSettings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // The SDK's default CRC trailers and aws-chunked bodies are not understood by every S3-compatible
                // server (older MinIO, S3Proxy, Ceph); SHA-256 manifests check the content instead.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new ObjectStore(builder.build(), settings);
    }

    public ObjectStoreSettings settings() {
        return settings;
    }

    /** Every object under a folder, paginated. */
    public List<S3Object> list(S3Location folder) throws ModelStoreException {
        return call("list", folder, () -> {
            List<S3Object> objects = new ArrayList<>();
            client.listObjectsV2Paginator(r -> r.bucket(folder.bucket()).prefix(folder.folderPrefix()))
                    .contents().forEach(objects::add);
            return objects;
        });
    }

    /** The names of a folder's subfolders (its common prefixes under a '/' delimiter). */
    public List<String> listFolders(S3Location folder) throws ModelStoreException {
        return call("list", folder, () -> {
            List<String> names = new ArrayList<>();
            client.listObjectsV2Paginator(r -> r.bucket(folder.bucket()).prefix(folder.folderPrefix()).delimiter("/"))
                    .commonPrefixes().forEach(p -> names.add(p.prefix().substring(folder.folderPrefix().length(),
                            p.prefix().length() - 1)));
            return names;
        });
    }

    /** A small object's bytes, or empty where there is none. */
    public Optional<byte[]> read(S3Location object) throws ModelStoreException {
        try {
            return Optional.of(call("read", object, () -> {
                ResponseBytes<GetObjectResponse> bytes =
                        client.getObjectAsBytes(r -> r.bucket(object.bucket()).key(object.key()));
                return bytes.asByteArray();
            }));
        } catch (ModelStoreException e) {
            if (e.problem() == Problem.NOT_FOUND && !(e.getCause() instanceof S3Exception s3
                    && "NoSuchBucket".equals(errorCode(s3)))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Streams one object into {@code file} (which must not exist yet); memory stays at the buffer's size. */
    public void download(S3Location object, Path file) throws ModelStoreException {
        call("download", object, () -> {
            java.nio.file.Files.deleteIfExists(file);
            return client.getObject(r -> r.bucket(object.bucket()).key(object.key()), ResponseTransformer.toFile(file));
        });
    }

    /** Uploads one file, in parts when it is larger than a part. */
    public void upload(Path file, S3Location object) throws ModelStoreException {
        call("upload", object, () -> {
            long size = java.nio.file.Files.size(file);
            if (size > settings.partBytes()) {
                multipart.upload(file, size, object);
            } else {
                client.putObject(r -> r.bucket(object.bucket()).key(object.key()), RequestBody.fromFile(file));
            }
            return null;
        });
    }

    public void write(S3Location object, byte[] content) throws ModelStoreException {
        call("write", object, () -> client.putObject(r -> r.bucket(object.bucket()).key(object.key()),
                RequestBody.fromBytes(content)));
    }

    /** Deletes every object under a folder (what a crashed writer left), a thousand per request. */
    public void deleteAll(S3Location folder) throws ModelStoreException {
        List<S3Object> objects = list(folder);
        for (int from = 0; from < objects.size(); from += 1000) {
            List<ObjectIdentifier> batch = objects.subList(from, Math.min(objects.size(), from + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            call("delete", folder, () -> client.deleteObjects(r -> r.bucket(folder.bucket())
                    .delete(d -> d.objects(batch).quiet(true))));
        }
    }

    /** A call of the S3 API under the retry policy, its faults named for a dead letter. */
    <T> T call(String what, S3Location where, S3Call<T> call) throws ModelStoreException {
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1;; attempt++) {
            try {
                return call.run();
            } catch (S3Exception e) {
                int status = e.statusCode();
                if (status == 404 || e instanceof NoSuchKeyException) {
                    throw new ModelStoreException(Problem.NOT_FOUND, "nothing at " + where + " (" + what + ": "
                            + errorCode(e) + ")", e);
                }
                if (status == 403) {
                    throw new ModelStoreException(Problem.ACCESS_DENIED, "access to " + where + " denied (" + what
                            + ": " + errorCode(e) + ")", e);
                }
                if (!e.isThrottlingException() && status < 500 && status != 408) {
                    throw new ModelStoreException(Problem.OTHER, "cannot " + what + " " + where + ": HTTP " + status
                            + " " + errorCode(e), e);
                }
                backoff = pause(what, where, e, attempt, deadline, backoff);
            } catch (SdkClientException e) {
                backoff = pause(what, where, e, attempt, deadline, backoff);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new ModelStoreException(Problem.OTHER, "cannot " + what + " " + where + ": " + e, e);
            }
        }
    }

    private static Duration pause(String what, S3Location where, SdkException e, int attempt, long deadline,
            Duration backoff) throws ModelStoreException {
        if (attempt == 1) {
            // Once per call: an operator sees an outage begin; its end shows as the work going on.
            LOG.log(System.Logger.Level.WARNING, "the object store failed to {0} {1} ({2}); retrying with backoff",
                    what, where, e.getMessage());
        }
        long sleep = ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1);
        if (System.nanoTime() + sleep * 1_000_000 > deadline) {
            throw new ModelStoreException(Problem.UNAVAILABLE, "the object store kept failing to " + what + " "
                    + where + " (" + attempt + " attempts): " + e.getMessage(), e);
        }
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException(Problem.UNAVAILABLE, "interrupted while retrying " + where, interrupted);
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
    }

    @Override
    public void close() {
        client.close();
    }

    /** One S3 request; IO failures of local files pass through as they are. */
    @FunctionalInterface
    interface S3Call<T> {
        T run() throws java.io.IOException;
    }
}
