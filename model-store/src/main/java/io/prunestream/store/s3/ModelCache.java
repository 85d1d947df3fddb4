package io.prunestream.store.s3;

import io.prunestream.store.ModelStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local copies of folders in the bucket, under a size cap: when a new copy would pass it, the least recently used
 * copies go first. A copy used within {@code pinFor} is never evicted, because a model being loaded, pruned or
 * scored must keep its files; the cap may then be passed for a while, and {@link #bytes()} says by how much. Each
 * copy has a marker beside it ({@code .<name>.cached}, outside the folder so that its digest stays the model's) whose
 * time is the last use, so a restarted service knows its copies and their ages.
 */
public final class ModelCache {

    private static final String MARKER = ".cached";

    private final Path root;
    private final long capBytes;
    private final Duration pinFor;
    private final Clock clock;
    private final Map<Path, Long> sizes = new HashMap<>();

    public ModelCache(Path root, long capBytes, Duration pinFor, Clock clock) throws ModelStoreException {
        this.root = root;
        this.capBytes = capBytes;
        this.pinFor = pinFor;
        this.clock = clock;
        try {
            Files.createDirectories(root);
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path marker : paths.filter(ModelCache::isMarker).toList()) {
                    Path folder = folderOf(marker);
                    if (Files.isDirectory(folder)) {
                        sizes.put(folder, Long.parseLong(Files.readString(marker).trim()));
                    } else {
                        Files.delete(marker);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new ModelStoreException("cannot read the model cache at " + root + ": " + e, e);
        }
    }

    /** Whether {@code folder} is a complete copy; if so it counts as used now. */
    public synchronized boolean use(Path folder) {
        if (!sizes.containsKey(folder) || !Files.isDirectory(folder)) {
            sizes.remove(folder);
            return false;
        }
        touch(folder);
        return true;
    }

    /** Makes room for {@code incoming} more bytes, evicting least recently used copies that are not pinned. */
    public synchronized void reserve(long incoming) {
        long total = bytes();
        if (total + incoming <= capBytes) {
            return;
        }
        Instant pinnedAfter = clock.instant().minus(pinFor);
        List<Path> oldestFirst = sizes.keySet().stream()
                .sorted(Comparator.comparing(this::lastUse)).toList();
        for (Path folder : oldestFirst) {
            if (total + incoming <= capBytes || lastUse(folder).isAfter(pinnedAfter)) {
                break;
            }
            total -= sizes.remove(folder);
            delete(folder);
        }
    }

    /** Records a complete copy of {@code bytes} bytes at {@code folder}, used now. */
    public synchronized void added(Path folder, long bytes) {
        sizes.put(folder, bytes);
        try {
            Files.writeString(marker(folder), Long.toString(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the cached copy " + folder, e);
        }
        touch(folder);
    }

    /** Forgets and deletes a copy (one found to differ from what its event says). */
    public synchronized void evict(Path folder) {
        sizes.remove(folder);
        delete(folder);
    }

    public synchronized long bytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    public Path root() {
        return root;
    }

    private void touch(Path folder) {
        try {
            Files.setLastModifiedTime(marker(folder), FileTime.from(clock.instant()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the cached copy " + folder, e);
        }
    }

    private Instant lastUse(Path folder) {
        try {
            return Files.getLastModifiedTime(marker(folder)).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void delete(Path folder) {
        try {
            Files.deleteIfExists(marker(folder));
            if (Files.exists(folder)) {
                try (Stream<Path> paths = Files.walk(folder)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot evict the cached copy " + folder, e);
        }
    }

    private static Path marker(Path folder) {
        return folder.resolveSibling("." + folder.getFileName() + MARKER);
    }

    private static boolean isMarker(Path path) {
        String name = String.valueOf(path.getFileName());
        return name.startsWith(".") && name.endsWith(MARKER) && Files.isRegularFile(path);
    }

    private static Path folderOf(Path marker) {
        String name = String.valueOf(marker.getFileName());
        return marker.resolveSibling(name.substring(1, name.length() - MARKER.length()));
    }
}
