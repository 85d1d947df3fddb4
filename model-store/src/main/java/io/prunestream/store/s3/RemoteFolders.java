package io.prunestream.store.s3;

import io.prunestream.store.ModelStoreException;
import io.prunestream.store.ModelStoreException.Problem;
import io.prunestream.store.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Folders in a bucket, moved whole: a folder we write is visible only once complete (its objects first, then the
 * {@link Manifest} listing them); a folder is read through its manifest, each object checked for size and SHA-256,
 * into a staged local folder that appears only when all of it arrived. A folder someone else wrote with a plain S3
 * client has no manifest and is read by listing, outside the prefix we write to.
 */
public final class RemoteFolders {

    private final ObjectStore store;

    public RemoteFolders(ObjectStore store) {
        this.store = store;
    }

    /** Whether a complete folder (one with a manifest) is at {@code folder}. */
    public boolean isComplete(S3Location folder) throws ModelStoreException {
        return store.read(folder.child(Manifest.NAME)).isPresent();
    }

    /**
     * Uploads a local folder unless a complete one is there already: a replay rewrites nothing. Whatever a crashed
     * writer left under the folder (objects without a manifest) is deleted first.
     *
     * @return true if this call wrote the folder
     */
    public boolean publish(Path local, S3Location folder) throws ModelStoreException {
        if (isComplete(folder)) {
            return false;
        }
        Manifest manifest = Manifest.of(local);
        store.deleteAll(folder);
        for (Manifest.Entry entry : manifest.objects()) {
            store.upload(local.resolve(entry.path()), folder.child(entry.path()));
        }
        store.write(folder.child(Manifest.NAME), manifest.toJson());
        return true;
    }

    /**
     * Copies a folder into {@code target} (which appears only when complete).
     *
     * @param ours whether the folder lies where the services write: there a folder without a manifest is incomplete,
     *             never read by listing
     * @return the bytes copied
     * @throws ModelStoreException {@code NOT_FOUND} where nothing (complete) is there, {@code OTHER} (a corrupt
     *                             model) where an object differs from its manifest
     */
    public long fetch(S3Location folder, Path target, boolean ours) throws ModelStoreException {
        Optional<byte[]> json = store.read(folder.child(Manifest.NAME));
        List<Manifest.Entry> entries;
        if (json.isPresent()) {
            entries = Manifest.parse(json.get(), folder).objects();
        } else if (ours) {
            throw new ModelStoreException(Problem.NOT_FOUND, "nothing complete at " + folder + " (no "
                    + Manifest.NAME + ": still being written, or left by a writer that crashed)", null);
        } else {
            entries = listed(folder);
        }
        try (StagedDirectory staged = StagedDirectory.create(target)) {
            long bytes = 0;
            for (Manifest.Entry entry : entries) {
                Path file = inside(staged.path(), entry.path(), folder);
                Files.createDirectories(file.resolveSibling(""));
                store.download(folder.child(entry.path()), file);
                bytes += check(file, entry, folder, json.isPresent());
            }
            staged.commit();
            return bytes;
        } catch (IOException e) {
            throw new ModelStoreException("cannot write the copy of " + folder + " at " + target + ": " + e, e);
        }
    }

    /** A folder written by anyone: its objects by listing, directory markers ("a/") skipped. */
    private List<Manifest.Entry> listed(S3Location folder) throws ModelStoreException {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (S3Object object : store.list(folder)) {
            String relative = object.key().substring(folder.folderPrefix().length());
            if (!relative.isEmpty() && !relative.endsWith("/")) {
                entries.add(new Manifest.Entry(relative, object.size(), null));
            }
        }
        if (entries.isEmpty()) {
            throw new ModelStoreException(Problem.NOT_FOUND, "no object under " + folder, null);
        }
        return entries;
    }

    private static long check(Path file, Manifest.Entry entry, S3Location folder, boolean manifested)
            throws IOException, ModelStoreException {
        long size = Files.size(file);
        if (size != entry.size()) {
            throw new ModelStoreException(Problem.OTHER, folder.child(entry.path()) + " has " + size + " bytes but"
                    + (manifested ? " its manifest" : " the listing") + " says " + entry.size()
                    + (manifested ? ": it differs from its manifest" : ""), null);
        }
        String sha256 = manifested ? Manifest.sha256(file) : null;
        if (manifested && !sha256.equals(entry.sha256())) {
            throw new ModelStoreException(Problem.OTHER, folder.child(entry.path()) + " differs from its manifest"
                    + " (SHA-256 " + sha256 + ", manifest " + entry.sha256() + ")", null);
        }
        return size;
    }

    /** A listed path kept inside the staging folder: a key like "a/../../x" must not write elsewhere. */
    private static Path inside(Path staging, String relative, S3Location folder) throws ModelStoreException {
        Path file = staging.resolve(relative).normalize();
        if (!file.startsWith(staging) || file.equals(staging)) {
            throw new ModelStoreException(Problem.OUTSIDE_STORE, "object " + relative + " under " + folder
                    + " would be written outside its folder", null);
        }
        return file;
    }
}
