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

    /** The scope of this wire name. */
    public static ThresholdScope of(String wireName) {
        for (ThresholdScope scope : values()) {
            if (scope.wireName.equals(wireName)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("thresholdScope: '" + wireName + "' is not one of "
                + java.util.Arrays.stream(values()).map(ThresholdScope::wireName).toList());
    }

    @Override
    public String toString() {
        return wireName;
    }
}
