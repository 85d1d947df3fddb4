package io.prunestream.store.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Where the services keep models and datasets when they share a bucket instead of a file system.
 *
 * @param bucket          the bucket every service writes to (checkpoints, variants, datasets)
 * @param prefix          the key prefix of everything written there, "" for the bucket's root
 * @param endpoint        an S3-compatible server (MinIO, Ceph, S3Proxy); empty for AWS itself
 * @param region          the signing region; S3-compatible servers accept any
 * @param pathStyle       {@code http://host/bucket/key} addressing, which MinIO and S3Proxy need
 * @param readableBuckets the buckets an event's {@code modelUri} may name besides {@code bucket}: a pruner must not
 *                        read another tenant's bucket because an event says so
 * @param cacheBytes      the local copies' size cap, least recently used evicted first
 * @param partBytes       objects above this size go up in parts of this size (multipart upload)
 * @param retryFor        how long throttling, 5xx answers and timeouts are retried, with backoff and jitter, before
 *                        the store counts as unavailable
 */
public record ObjectStoreSettings(String bucket, String prefix, Optional<URI> endpoint, String region,
        boolean pathStyle, Set<String> readableBuckets, long cacheBytes, long partBytes, Duration retryFor) {

    /** S3 refuses parts under 5 MiB except the last. */
    public static final long MIN_PART_BYTES = 5L << 20;

    public ObjectStoreSettings {
        new S3Location(bucket, "");
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (!prefix.isEmpty()) {
            try {
                S3Location.parse("s3://" + bucket + "/" + prefix);
            } catch (io.prunestream.store.ModelStoreException e) {
                throw new IllegalArgumentException("object store prefix '" + prefix + "' is not a valid key prefix");
            }
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("object store region is empty");
        }
        readableBuckets = Set.copyOf(readableBuckets);
        readableBuckets.forEach(name -> new S3Location(name, ""));
        if (cacheBytes < (1L << 20)) {
            throw new IllegalArgumentException("object store cache-bytes " + cacheBytes + " is below 1 MiB");
        }
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("object store part-bytes " + partBytes
                    + " is below S3's minimum part of " + MIN_PART_BYTES + " bytes");
        }
        if (retryFor.isNegative()) {
            throw new IllegalArgumentException("object store retry-for " + retryFor + " is negative");
        }
    }

    /** The folder of the configured bucket and prefix. */
    public S3Location home() {
        return new S3Location(bucket, prefix);
    }

    /** Whether an event may make a service read {@code location}. */
    public boolean mayRead(S3Location location) {
        return location.bucket().equals(bucket) || readableBuckets.contains(location.bucket());
    }
}
