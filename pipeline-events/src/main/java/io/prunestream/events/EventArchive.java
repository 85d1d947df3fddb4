package io.prunestream.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Events kept as files, one per id: {@code <root>/<runId>/<id>.json}, written whole under a temporary name and
 * renamed into place, so a reader never sees half of one and two writers of the same id leave one whole file. How the
 * evaluator keeps its results and the pruner the variant events it published, across restarts.
 */
public final class EventArchive<T extends PipelineEvent> {

    private final Path root;
    private final Class<T> type;
    private final Function<T, String> id;
    private final EventCodec codec = new EventCodec();

    /** @param id the event's id within its run (the file's name) */
    public EventArchive(Path root, Class<T> type, Function<T, String> id) {
        this.root = root;
        this.type = type;
        this.id = id;
    }

    public Optional<T> find(String runId, String eventId) throws IOException {
        Path file = file(runId, eventId);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /** Every stored event with this id, whatever its run (ids are chosen to be unique, but runs are not checked). */
    public List<T> findInAnyRun(String eventId) throws IOException {
        requireId(eventId);
        List<T> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> runs = Files.list(root)) {
                for (Path run : runs.filter(Files::isDirectory).sorted().toList()) {
                    Path file = run.resolve(eventId + ".json");
                    if (Files.isRegularFile(file)) {
                        found.add(read(file));
                    }
                }
            }
        }
        return found;
    }

    public void save(T event) throws IOException {
        Path file = file(event.runId(), id.apply(event));
        Files.createDirectories(root.resolve(event.runId()));
        // One name per writer: two replicas may handle the same record while a partition changes hands.
        Path partial = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".partial");
        Files.write(partial, codec.encode(event));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every stored event (of one run, or of all), oldest first. */
    public List<T> all(String runId) {
        Path folder = runId == null ? root : root.resolve(runId);
        if (!Files.isDirectory(folder) || (runId != null && !folder.normalize().startsWith(root))) {
            return List.of();
        }
        List<T> events = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                events.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.sort(Comparator.comparing(PipelineEvent::occurredAt));
        return events;
    }

    private T read(Path file) throws IOException {
        try {
            return codec.decode(Files.readAllBytes(file), type);
        } catch (InvalidEventException e) {
            throw new IOException("stored event " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private Path file(String runId, String eventId) {
        requireId(runId);
        requireId(eventId);
        return root.resolve(runId).resolve(eventId + ".json");
    }

    /** Ids become file names: only the id pattern (no separators, no leading dot) may. */
    private static void requireId(String value) {
        Require.matching(value, Require.ID, "id");
    }
}
