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

    /** The scope of this wire name. */
    public static RecoveryScope of(String wireName) {
        for (RecoveryScope scope : values()) {
            if (scope.wireName.equals(wireName)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("recoveryScope: '" + wireName + "' is not one of "
                + java.util.Arrays.stream(values()).map(RecoveryScope::wireName).toList());
    }

    @Override
    public String toString() {
        return wireName;
    }
}
