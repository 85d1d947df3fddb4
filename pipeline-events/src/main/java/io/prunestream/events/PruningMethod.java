package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a model was derived from its checkpoint; {@code dense} is the unpruned checkpoint itself. */
public enum PruningMethod {
    DENSE("dense"),
    THRESHOLD("threshold"),
    THRESHOLD_MEAN("threshold+mean");

    private final String wireName;

    PruningMethod(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
