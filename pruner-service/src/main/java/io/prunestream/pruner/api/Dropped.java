package io.prunestream.pruner.api;

import io.prunestream.events.CheckpointEvent;
import java.util.List;

/** The answer to a dropped checkpoint: the event that was published and where each variant will appear. */
public record Dropped(CheckpointEvent checkpoint, List<ExpectedVariant> variants) {

    /** A variant the pruner will write, and where. */
    public record ExpectedVariant(String variantId, String modelUri) {
    }
}
