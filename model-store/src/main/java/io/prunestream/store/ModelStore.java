package io.prunestream.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The root directory under which every model lives, and the only way to turn a {@code modelUri} from an event into
 * a path. Layout: {@code checkpoints/<runId>/<checkpointId>}, {@code variants/<runId>/<variantId>} and the
 * registered datasets, {@code datasets/<name>}.
 */
public final class ModelStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;

    /** Opens (and creates if needed) the store at {@code root}. */
    public ModelStore(Path root) throws ModelStoreException {
        try {
            Files.createDirectories(root);
            // The real path: a store reached through a symbolic link still compares correctly below.
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new ModelStoreException("cannot open the model store at " + root + ": " + e, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The folder of all checkpoints of one run. */
    public Path runCheckpointsDir(String runId) throws ModelStoreException {
        return root.resolve("checkpoints").resolve(name(runId, "runId"));
    }

    public Path checkpointDir(String runId, String checkpointId) throws ModelStoreException {
        return runCheckpointsDir(runId).resolve(name(checkpointId, "checkpointId"));
    }

    public Path variantDir(String runId, String variantId) throws ModelStoreException {
        return root.resolve("variants").resolve(name(runId, "runId")).resolve(name(variantId, "variantId"));
    }

    /** The folder of registered datasets, one folder each, shared by every service on the store. */
    public Path datasetsDir() {
        return root.resolve("datasets");
    }

    /** The {@code file:} URI of a path in the store, as events carry it (no trailing slash). */
    public String uriOf(Path path) throws ModelStoreException {
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

    /**
     * The path a {@code modelUri} names, after making sure it stays inside the store: only absolute {@code file:}
     * URIs without host, query or fragment; no {@code .} or {@code ..} segment (encoded or not); and no symbolic
     * link on the way that leads outside the root.
     */
    public Path resolve(String modelUri) throws ModelStoreException {
        if (modelUri == null || modelUri.isBlank()) {
            throw new ModelStoreException("modelUri is empty");
        }
        URI uri;
        try {
            uri = new URI(modelUri);
        } catch (URISyntaxException e) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is not a valid URI: " + e.getMessage());
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new ModelStoreException("modelUri '" + modelUri + "' is not a file: URI");
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
     * {@code target} only on {@link StagedDirectory#commit()}, so readers never see half a model.
     */
    public StagedDirectory stage(Path target) throws ModelStoreException {
        Path absolute = target.toAbsolutePath().normalize();
        if (!absolute.startsWith(root) || absolute.equals(root)) {
            throw new ModelStoreException("cannot write " + target + ": outside the model store " + root);
        }
        return StagedDirectory.create(absolute);
    }

    private static String name(String value, String field) throws ModelStoreException {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new ModelStoreException(field + " '" + value + "' is not a safe directory name (letters, digits,"
                    + " '.', '_' and '-', starting with a letter or digit)");
        }
        return value;
    }
}
