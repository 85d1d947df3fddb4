package io.prunestream.store;

import io.prunestream.events.ArchiveFiles;
import io.prunestream.events.FolderArchiveFiles;

import io.prunestream.store.s3.ObjectModels;
import io.prunestream.store.s3.ObjectStore;
import io.prunestream.store.s3.S3Location;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where every model lives, and the only way to turn a {@code modelUri} from an event into a path. Layout under its
 * home: {@code checkpoints/<runId>/<checkpointId>}, {@code variants/<runId>/<variantId>} and the registered datasets,
 * {@code datasets/<name>}. The home is a local folder ({@code file:} URIs, a file system the services share) or a
 * bucket's prefix ({@code s3://} URIs): then the local folder holds each service's own copies, under a size cap,
 * and a folder written locally counts only once {@link #publish published}.
 */
public final class ModelStore implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;
    private final ObjectModels remote;
    private final Path home;

    /** Opens (and creates if needed) a store on the file system at {@code root}. */
    public ModelStore(Path root) throws ModelStoreException {
        this.root = realRoot(root);
        this.remote = null;
        this.home = this.root;
    }

    /** Opens a store in a bucket, its local copies under {@code root}/objects. */
    public ModelStore(Path root, ObjectStore objects) throws ModelStoreException {
        this.root = realRoot(root);
        this.remote = new ObjectModels(objects, this.root.resolve("objects"));
        this.home = remote.localOf(objects.settings().home());
    }

    private static Path realRoot(Path root) throws ModelStoreException {
        try {
            Files.createDirectories(root);
            // The real path: a store reached through a symbolic link still compares correctly below.
            return root.toRealPath();
        } catch (IOException e) {
            throw new ModelStoreException("cannot open the model store at " + root + ": " + e, e);
        }
    }

    /** The local folder: the file store itself, or the service's own files and copies beside a bucket. */
    public Path root() {
        return root;
    }

    /**
     * Where a service keeps the events it must remember ({@code name}: {@code evaluations}, {@code variant-events}):
     * a folder of the file store, or, beside a bucket, {@code archives/<name>/} in the bucket, which every replica
     * shares and a rescheduled pod still finds.
     */
    public ArchiveFiles archive(String name) {
        return remote == null ? new FolderArchiveFiles(root.resolve(name)) : remote.archive(name);
    }

    /** The folder of all checkpoints of one run. */
    public Path runCheckpointsDir(String runId) throws ModelStoreException {
        return home.resolve("checkpoints").resolve(name(runId, "runId"));
    }

    public Path checkpointDir(String runId, String checkpointId) throws ModelStoreException {
        return runCheckpointsDir(runId).resolve(name(checkpointId, "checkpointId"));
    }

    public Path variantDir(String runId, String variantId) throws ModelStoreException {
        return home.resolve("variants").resolve(name(runId, "runId")).resolve(name(variantId, "variantId"));
    }

    /** The folder of registered datasets, one folder each, shared by every service on the store. */
    public Path datasetsDir() {
        return home.resolve("datasets");
    }

    /** The URI of a path in the store, as events carry it (no trailing slash): {@code file:} or {@code s3:}. */
    public String uriOf(Path path) throws ModelStoreException {
        if (remote != null) {
            return remote.locationOf(path).toString();
        }
        Path absolute = path.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            throw new ModelStoreException("path " + path + " is outside the model store " + root);
        }
        String uri = absolute.toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /**
     * The SavedModel an event names: {@code modelUri} resolved inside the store ({@link #resolve}), a folder that
     * holds a {@code saved_model.pb}, with the digest {@code digest} ({@link ModelDigest#verify}). What the pruner and
     * the evaluator both check before they open a model.
     *
     * @throws ModelStoreException whose {@link ModelStoreException#problem()} says which check failed
     */
    public Path verifiedModel(String modelUri, String digest) throws ModelStoreException {
        if (S3Location.isS3(modelUri)) {
            return verifiedObjectModel(S3Location.parse(modelUri), digest);
        }
        Path model;
        try {
            model = resolve(modelUri);
        } catch (ModelStoreException e) {
            throw new ModelStoreException(ModelStoreException.Problem.OUTSIDE_STORE, e.getMessage(), e);
        }
        if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
            throw new ModelStoreException(ModelStoreException.Problem.MISSING_MODEL, "no SavedModel at " + modelUri
                    + " (" + model.resolve("saved_model.pb") + " does not exist)", null);
        }
        try {
            ModelDigest.verify(model, digest);
        } catch (ModelStoreException e) {
            throw new ModelStoreException(ModelStoreException.Problem.DIGEST_MISMATCH, e.getMessage(), e);
        }
        return model;
    }

    /** An {@code s3://} model: its local copy, fetched again once if the cached copy has another digest. */
    private Path verifiedObjectModel(S3Location location, String digest) throws ModelStoreException {
        if (remote == null) {
            throw new ModelStoreException(ModelStoreException.Problem.OUTSIDE_STORE, "modelUri '" + location
                    + "' is in an object store, but this service keeps models in " + root
                    + " (set the object-store bucket to read s3:// URIs)", null);
        }
        Path model = remote.fetch(location);
        String actual = ModelDigest.of(model);
        if (!actual.equals(digest)) {
            // A copy cached before the object changed: the bucket's current one decides.
            remote.forget(model);
            model = remote.fetch(location);
            actual = ModelDigest.of(model);
        }
        if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
            throw new ModelStoreException(ModelStoreException.Problem.MISSING_MODEL, "no SavedModel at " + location
                    + " (its objects hold no saved_model.pb)", null);
        }
        if (!actual.equals(digest)) {
            throw new ModelStoreException(ModelStoreException.Problem.DIGEST_MISMATCH, "model " + location
                    + " has digest " + actual + " but the event says " + digest, null);
        }
        return model;
    }

    /**
     * Makes a folder written under the home visible to the other services: in a bucket, uploads it unless a
     * complete copy is there (a replay writes nothing); on a file system it is already.
     */
    public void publish(Path folder) throws ModelStoreException {
        if (remote != null) {
            remote.publish(folder);
        }
    }

    /**
     * Brings a folder of the home that another service or an earlier attempt published into the local copy, so
     * that a replay finds it done; false where there is nothing complete to bring (and on a file system).
     */
    public boolean fetchPublished(Path folder) throws ModelStoreException {
        return remote != null && remote.fetchIfPublished(folder);
    }

    /** The subfolders of a home folder that are published in the bucket (none on a file system). */
    public List<String> publishedFolders(Path folder) throws ModelStoreException {
        return remote == null ? List.of() : remote.publishedFolders(folder);
    }

    /**
     * The local path a {@code modelUri} names. An {@code s3://} URI is fetched into the local copies. A
     * {@code file:} URI must stay inside the store: only absolute {@code file:} URIs without host, query or
     * fragment; no {@code .} or {@code ..} segment (encoded or not); and no symbolic link on the way that leads
     * outside the root.
     */
    public Path resolve(String modelUri) throws ModelStoreException {
        if (modelUri == null || modelUri.isBlank()) {
            throw new ModelStoreException("modelUri is empty");
        }
        if (S3Location.isS3(modelUri)) {
            if (remote == null) {
                throw new ModelStoreException("modelUri '" + modelUri + "' is in an object store, but this service"
                        + " keeps models in " + root);
            }
            return remote.fetch(S3Location.parse(modelUri));
        }
        URI uri;
        try {
            uri = new URI(modelUri);
        } catch (URISyntaxException e) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is not a valid URI: " + e.getMessage());
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is neither a file: nor an s3:// URI");
        }
        if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is not an absolute file: URI");
        }
        String host = uri.getAuthority();
        if (host != null && !host.isEmpty() && !"localhost".equalsIgnoreCase(host)) {
            throw new ModelStoreException("modelUri '" + modelUri + "' names host '" + host
                    + "'; only local files are read");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ModelStoreException("modelUri '" + modelUri + "' has a query or fragment");
        }
        String path = uri.getPath();
        if (path.indexOf('\0') >= 0) {
            throw new ModelStoreException("modelUri '" + modelUri + "' contains a NUL character");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ModelStoreException("modelUri '" + modelUri + "' contains a '" + segment + "' segment");
            }
        }
        Path resolved = Path.of(path);
        if (!resolved.startsWith(root)) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is outside the model store " + root);
        }
        requireNoEscapingLink(resolved, modelUri);
        return resolved;
    }

    /** The deepest existing ancestor (or the path itself) must really lie inside the root. */
    private void requireNoEscapingLink(Path path, String modelUri) throws ModelStoreException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        try {
            if (!existing.toRealPath().startsWith(root)) {
                throw new ModelStoreException("modelUri '" + modelUri + "' leads through a symbolic link to "
                        + existing.toRealPath() + ", outside the model store " + root);
            }
        } catch (IOException e) {
            // A dangling link: its target does not exist, so it cannot be inside the store either.
            throw new ModelStoreException("modelUri '" + modelUri + "' cannot be resolved: " + e, e);
        }
    }

    /**
     * Starts writing a model directory at {@code target}: the content goes to a hidden sibling and appears at
     * {@code target} only on {@link StagedDirectory#commit()}, so readers never see half a model; the commit also
     * {@link #publish publishes} it.
     */
    public StagedDirectory stage(Path target) throws ModelStoreException {
        Path absolute = target.toAbsolutePath().normalize();
        if (!absolute.startsWith(root) || absolute.equals(root)) {
            throw new ModelStoreException("cannot write " + target + ": outside the model store " + root);
        }
        return StagedDirectory.create(absolute, this::publish);
    }

    @Override
    public void close() {
        if (remote != null) {
            remote.close();
        }
    }

    private static String name(String value, String field) throws ModelStoreException {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new ModelStoreException(field + " '" + value + "' is not a safe directory name (letters, digits,"
                    + " '.', '_' and '-', starting with a letter or digit)");
        }
        return value;
    }
}
