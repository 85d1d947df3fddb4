package io.prunestream.evaluator.service;

import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.InvalidEventException;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
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
import java.util.stream.Stream;

/**
 * One evaluation per variant, as its event, in {@code <model store>/evaluations/<runId>/<variantId>.json}: written
 * before the event is published (so a crash in between republishes the same event) and read back after a restart.
 */
final class ResultStore {

    private final Path root;
    private final EventCodec codec = new EventCodec();

    ResultStore(ModelStore store) {
        this.root = store.root().resolve("evaluations");
    }

    Optional<EvaluationEvent> find(String runId, String variantId) throws ModelStoreException {
        Path file = file(runId, variantId);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    void save(EvaluationEvent event) throws ModelStoreException {
        Path file = file(event.runId(), event.variantId());
        try {
            Files.createDirectories(root.resolve(event.runId()));
            // One name per writer: two replicas may score the same variant while a partition changes hands.
            Path partial = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".partial");
            Files.write(partial, codec.encode(event));
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ModelStoreException("cannot save the evaluation of " + event.variantId() + ": " + e, e);
        }
    }

    /** Every stored evaluation (of one run, or of all), oldest first. */
    List<EvaluationEvent> all(String runId) {
        Path folder = runId == null ? root : root.resolve(runId);
        if (!Files.isDirectory(folder) || (runId != null && !folder.normalize().startsWith(root))) {
            return List.of();
        }
        List<EvaluationEvent> events = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                events.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        events.sort(Comparator.comparing(EvaluationEvent::occurredAt));
        return events;
    }

    private EvaluationEvent read(Path file) throws ModelStoreException {
        try {
            return codec.decode(Files.readAllBytes(file), EvaluationEvent.class);
        } catch (IOException | InvalidEventException e) {
            throw new ModelStoreException("stored evaluation " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private Path file(String runId, String variantId) {
        // Both ids were validated against the id pattern by the event records: no separators, no dots first.
        return root.resolve(runId).resolve(variantId + ".json");
    }
}
