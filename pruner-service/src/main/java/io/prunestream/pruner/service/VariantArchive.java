package io.prunestream.pruner.service;

import io.prunestream.events.EventArchive;
import io.prunestream.events.VariantEvent;
import io.prunestream.store.ModelStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The variant events this pruner published, as published, in {@code <model store>/variant-events/<runId>/} or, beside
 * a bucket, in the bucket's {@code archives/variant-events/<runId>/}, which every replica shares (kept
 * when they are published, replaced when a redelivered checkpoint publishes them again): what
 * {@code GET /variants/{id}} answers with.
 */
@ApplicationScoped
public class VariantArchive {

    private final EventArchive<VariantEvent> events;

    VariantArchive(ModelStore store) {
        this.events = new EventArchive<>(store.archive("variant-events"), VariantEvent.class,
                VariantEvent::variantId);
    }

    void save(VariantEvent event) {
        try {
            events.save(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the event of variant " + event.variantId(), e);
        }
    }

    /** The events of every variant with this id (of one run, when {@code runId} is given). */
    public List<VariantEvent> find(String variantId, String runId) throws IOException {
        return runId == null ? events.findInAnyRun(variantId) : events.find(runId, variantId).map(List::of)
                .orElse(List.of());
    }
}
