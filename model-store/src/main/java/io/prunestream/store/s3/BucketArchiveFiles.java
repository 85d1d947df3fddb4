package io.prunestream.store.s3;

import io.prunestream.events.ArchiveFiles;
import io.prunestream.store.ModelStoreException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Archive files as objects under one folder of the bucket, {@code <folder>/<run>/<name>}: every replica of a service
 * reads what any of them wrote, so a pod rescheduled with an empty disk still finds what was done. A PUT is atomic, so
 * a file is whole or absent; retries, backoff and the failure names are the object store's.
 */
public final class BucketArchiveFiles implements ArchiveFiles {

    private final ObjectStore objects;
    private final S3Location folder;

    public BucketArchiveFiles(ObjectStore objects, S3Location folder) {
        this.objects = objects;
        this.folder = folder;
    }

    @Override
    public Optional<byte[]> read(String run, String name) throws IOException {
        return call(() -> objects.read(folder.child(run + "/" + name)));
    }

    @Override
    public void write(String run, String name, byte[] content) throws IOException {
        call(() -> {
            objects.write(folder.child(run + "/" + name), content);
            return null;
        });
    }

    @Override
    public List<String> runs() throws IOException {
        return call(() -> objects.listFolders(folder).stream().sorted().toList());
    }

    @Override
    public List<String> names(String run) throws IOException {
        S3Location runFolder = folder.child(run);
        return call(() -> objects.list(runFolder).stream().map(o -> o.key().substring(runFolder.folderPrefix()
                .length())).filter(name -> !name.contains("/")).sorted().toList());
    }

    /** One call to the bucket; its failure, already retried and named, as the archive's I/O failure. */
    private static <T> T call(BucketCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (ModelStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface BucketCall<T> {
        T run() throws ModelStoreException;
    }
}
