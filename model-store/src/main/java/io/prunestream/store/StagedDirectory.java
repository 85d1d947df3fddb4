package io.prunestream.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory being written under a temporary name next to its target. {@link #commit()} renames it into place in
 * one atomic step; {@link #close()} without a commit deletes it. A crash leaves only a {@code .staging-} folder,
 * never a half-written model under the real name.
 */
public final class StagedDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private final Publisher publisher;
    private boolean committed;

    private StagedDirectory(Path target, Path staging, Publisher publisher) {
        this.target = target;
        this.staging = staging;
        this.publisher = publisher;
    }

    /** What makes a committed folder visible beyond this file system (the model store's bucket). */
    @FunctionalInterface
    public interface Publisher {
        void publish(Path target) throws ModelStoreException;
    }

    /** Stages {@code target}; a caller outside the store checks that it may write there. */
    public static StagedDirectory create(Path target) throws ModelStoreException {
        return create(target, folder -> { });
    }

    /** Stages {@code target}, to be handed to {@code publisher} once in place. */
    static StagedDirectory create(Path target, Publisher publisher) throws ModelStoreException {
        Path parent = target.getParent();
        if (parent == null) {
            throw new ModelStoreException("cannot stage " + target + ": it has no parent directory");
        }
        try {
            Files.createDirectories(parent);
            Path staging = target.resolveSibling(".staging-" + target.getFileName() + "-" + UUID.randomUUID());
            Files.createDirectory(staging);
            return new StagedDirectory(target, staging, publisher);
        } catch (IOException e) {
            throw new ModelStoreException("cannot stage " + target + ": " + e, e);
        }
    }

    /** Where to write the content. */
    public Path path() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /**
     * Moves the content to the target, then publishes the target. If the target already exists (another writer, or
     * a replay, got there first), the existing one is kept and this copy is discarded: writes of one id are
     * idempotent.
     *
     * @return true if this call created the target
     */
    public boolean commit() throws ModelStoreException {
        boolean created = move();
        publisher.publish(target);
        return created;
    }

    private boolean move() throws ModelStoreException {
        if (committed) {
            throw new IllegalStateException("already committed: " + target);
        }
        committed = true;
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            deleteRecursively(staging);
            throw new ModelStoreException("the file system of " + target + " cannot rename atomically", e);
        } catch (IOException e) {
            deleteRecursively(staging);
            // Linux reports a non-empty target as a plain FileSystemException (ENOTEMPTY), so look, not catch.
            if (Files.isDirectory(target)) {
                return false;
            }
            throw new ModelStoreException("cannot move " + staging + " to " + target + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            deleteRecursively(staging);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
