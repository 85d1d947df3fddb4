package io.prunestream.store.s3;

import io.prunestream.store.ModelStoreException;
import io.prunestream.store.ModelStoreException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Folders in the bucket and their local copies, one path each way: {@code s3://bucket/key} is copied to
 * {@code <cache>/bucket/key}, and a folder written there is published to the same URI. What the model store does
 * with {@code s3://} URIs; the services only ever see local paths and URIs.
 */
public final class ObjectModels implements AutoCloseable {

    /** A copy used this recently is never evicted: the longest a checkpoint is worked on (the evaluator's limit). */
    private static final Duration PIN = Duration.ofMinutes(30);

    /** The folders of the home prefix that only the services write, each subfolder published with a manifest. */
    public static final java.util.List<String> OWN_FOLDERS = java.util.List.of("checkpoints", "variants", "datasets");

    private final ObjectStore store;
    private final RemoteFolders folders;
    private final ModelCache cache;

    /** {@code archives/<name>/} under the store's home folder, shared by every replica. */
    public BucketArchiveFiles archive(String name) {
        return new BucketArchiveFiles(store, store.settings().home().child("archives/" + name));
    }

    public ObjectModels(ObjectStore store, Path cacheRoot) throws ModelStoreException {
        this.store = store;
        this.folders = new RemoteFolders(store);
        this.cache = new ModelCache(cacheRoot, store.settings().cacheBytes(), PIN, Clock.systemUTC());
    }

    public ObjectStoreSettings settings() {
        return store.settings();
    }

    /** The local path of a folder in a bucket. */
    public Path localOf(S3Location location) {
        Path path = cache.root().resolve(location.bucket());
        return location.key().isEmpty() ? path : path.resolve(location.key());
    }

    /** The folder in the bucket that a local path is the copy of. */
    public S3Location locationOf(Path local) throws ModelStoreException {
        Path absolute = local.toAbsolutePath().normalize();
        if (!absolute.startsWith(cache.root()) || absolute.getNameCount() <= cache.root().getNameCount()) {
            throw new ModelStoreException("path " + local + " is outside the object store's cache " + cache.root());
        }
        Path relative = cache.root().relativize(absolute);
        String key = relative.getNameCount() == 1 ? "" : relative.subpath(1, relative.getNameCount()).toString()
                .replace('\\', '/');
        return new S3Location(relative.getName(0).toString(), key);
    }

    /**
     * The local copy of a folder an event names, fetched if it is not cached. Only the configured buckets are read;
     * a folder under the services' own prefix counts only once complete.
     */
    public Path fetch(S3Location folder) throws ModelStoreException {
        if (!settings().mayRead(folder)) {
            throw new ModelStoreException(Problem.ACCESS_DENIED, folder + " is in bucket '" + folder.bucket()
                    + "', which is not one the services may read (the configured bucket '" + settings().bucket()
                    + "' and readable-buckets " + settings().readableBuckets() + ")", null);
        }
        Path local = localOf(folder);
        if (cache.use(local)) {
            return local;
        }
        // The size is known only after the copy; room for one more copy of the cap's tenth is a fair guess.
        cache.reserve(settings().cacheBytes() / 10);
        long bytes = folders.fetch(folder, local, isOurs(folder));
        cache.added(local, bytes);
        return local;
    }

    /** Fetches a folder under the services' prefix if a complete one is in the bucket and none is here. */
    public boolean fetchIfPublished(Path local) throws ModelStoreException {
        S3Location folder = locationOf(local);
        if (cache.use(local) || Files.isDirectory(local) || !folders.isComplete(folder)) {
            return false;
        }
        fetch(folder);
        return true;
    }

    /** The names of the subfolders of a local folder's location in the bucket. */
    public List<String> publishedFolders(Path local) throws ModelStoreException {
        return store.listFolders(locationOf(local));
    }

    /** Publishes a local folder unless a complete one is there already; the copy stays in the cache. */
    public boolean publish(Path local) throws ModelStoreException {
        S3Location folder = locationOf(local);
        boolean written = folders.publish(local, folder);
        if (!cache.use(local)) {
            cache.reserve(0);
            cache.added(local, Manifest.of(local).bytes());
        }
        return written;
    }

    /** Drops a local copy found to differ from what its event says, so that the next read fetches it again. */
    public void forget(Path local) {
        cache.evict(local);
    }

    /** Under the folders the services write (checkpoints/, variants/, datasets/ of the home prefix). */
    private boolean isOurs(S3Location folder) {
        S3Location home = settings().home();
        return folder.bucket().equals(home.bucket()) && OWN_FOLDERS.stream()
                .anyMatch(own -> (folder.key() + "/").startsWith(home.folderPrefix() + own + "/"));
    }

    @Override
    public void close() {
        store.close();
    }
}
