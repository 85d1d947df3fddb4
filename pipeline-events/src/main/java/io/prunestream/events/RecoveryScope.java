package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Over which weights the mean of the pruned values is taken; {@code none} when pruned weights become zero. */
public enum RecoveryScope {
    NONE("none"),
    FILTER("filter"),
    LAYER("layer");

    private final String wireName;

    RecoveryScope(String wireName) {
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
