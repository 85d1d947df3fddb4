package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where the magnitude threshold is chosen: per layer, or once over all prunable weights. */
public enum ThresholdScope {
    LAYER("layer"),
    GLOBAL("global");

    private final String wireName;

    ThresholdScope(String wireName) {
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
