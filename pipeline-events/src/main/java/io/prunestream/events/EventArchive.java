package io.prunestream.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Events kept as files, one per id: {@code <runId>/<id>.json} in a folder of this machine or in the bucket every
 * replica shares ({@link ArchiveFiles}), each written whole, so a reader never sees half of one and two writers of the
 * same id leave one whole file. How the evaluator keeps its results and the pruner the variant events it published,
 * across restarts and, in a bucket, across replicas.
 */
public final class EventArchive<T extends PipelineEvent> {

    private static final String SUFFIX = ".json";

    private final ArchiveFiles files;
    private final Class<T> type;
    private final Function<T, String> id;
    private final EventCodec codec = new EventCodec();

    /** @param id the event's id within its run (the file's name) */
    public EventArchive(Path root, Class<T> type, Function<T, String> id) {
        this(new FolderArchiveFiles(root), type, id);
    }

    /** @param id the event's id within its run (the file's name) */
    public EventArchive(ArchiveFiles files, Class<T> type, Function<T, String> id) {
        this.files = files;
        this.type = type;
        this.id = id;
    }

    public Optional<T> find(String runId, String eventId) throws IOException {
        requireId(runId);
        requireId(eventId);
        Optional<byte[]> content = files.read(runId, eventId + SUFFIX);
        return content.isPresent() ? Optional.of(read(runId, eventId + SUFFIX, content.get())) : Optional.empty();
    }

    /** Every stored event with this id, whatever its run (ids are chosen to be unique, but runs are not checked). */
    public List<T> findInAnyRun(String eventId) throws IOException {
        requireId(eventId);
        List<T> found = new ArrayList<>();
        for (String run : files.runs()) {
            find(run, eventId).ifPresent(found::add);
        }
        return found;
    }

    public void save(T event) throws IOException {
        requireId(event.runId());
        requireId(id.apply(event));
        files.write(event.runId(), id.apply(event) + SUFFIX, codec.encode(event));
    }

    /** Every stored event (of one run, or of all), oldest first. */
    public List<T> all(String runId) {
        if (runId != null && !Require.ID.matcher(runId).matches()) {
            return List.of();
        }
        List<T> events = new ArrayList<>();
        try {
            for (String run : runId == null ? files.runs() : List.of(runId)) {
                for (String name : files.names(run)) {
                    if (name.endsWith(SUFFIX)) {
                        Optional<byte[]> content = files.read(run, name);
                        if (content.isPresent()) {
                            events.add(read(run, name, content.get()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.sort(Comparator.comparing(PipelineEvent::occurredAt));
        return events;
    }

    private T read(String run, String name, byte[] content) throws IOException {
        try {
            return codec.decode(content, type);
        } catch (InvalidEventException e) {
            throw new IOException("stored event " + run + "/" + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Ids become file names: only the id pattern (no separators, no leading dot) may. */
    private static void requireId(String value) {
        Require.matching(value, Require.ID, "id");
    }
}
