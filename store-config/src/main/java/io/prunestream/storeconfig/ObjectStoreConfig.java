package io.prunestream.storeconfig;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code prunestream.object-store.*}: a bucket instead of a shared file system. Unset (no bucket), models stay in
 * each service's {@code model-store} folder, which the services must then share. Credentials are not here: the AWS
 * SDK's default chain reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, or a cluster's web identity),
 * so that they never sit in a config file, an event or a log.
 */
@ConfigMapping(prefix = "prunestream.object-store")
public interface ObjectStoreConfig {

    /** The bucket the services write checkpoints, variants and datasets to; empty keeps the file system. */
    Optional<String> bucket();

    /** The key prefix of everything the services write, e.g. {@code team-a}; empty for the bucket's root. */
    Optional<String> prefix();

    /** An S3-compatible server (MinIO, Ceph, S3Proxy), e.g. {@code http://minio:9000}; empty for AWS S3. */
    Optional<URI> endpoint();

    /** The region requests are signed for; S3-compatible servers accept any. */
    @WithDefault("us-east-1")
    String region();

    /** Path-style addressing ({@code host/bucket/key}), which MinIO and most S3-compatible servers need. */
    @WithDefault("true")
    boolean pathStyle();

    /**
     * Buckets besides {@link #bucket()} that a checkpoint event's {@code s3://} model may name; any other is refused as
     * {@code model-access-denied}, so that an event cannot make the pruner read another tenant's bucket.
     */
    Optional<Set<String>> readableBuckets();

    /** The local copies' size cap (least recently used evicted first). */
    @WithDefault("10G")
    MemorySize cacheBytes();

    /** Files above this go up in parts of this size (S3's minimum is 5 MiB). */
    @WithDefault("64M")
    MemorySize partBytes();

    /**
     * How long throttling, 5xx answers and timeouts are retried (backoff with jitter) before the event is
     * dead-lettered as {@code store-unavailable}.
     */
    @WithDefault("5m")
    Duration retryFor();
}
