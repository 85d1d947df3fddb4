package io.prunestream.pruner.service;

import io.prunestream.store.ModelStoreException;

/** Why a checkpoint could not be pruned; the code leads the dead-letter reason and tags the failure counter. */
public enum FailureReason {
    INVALID_EVENT("invalid-event"),
    MODEL_OUTSIDE_STORE("model-outside-store"),
    MISSING_MODEL("missing-model"),
    CORRUPT_MODEL("corrupt-model"),
    DIGEST_MISMATCH("digest-mismatch"),
    NON_FINITE_WEIGHTS("non-finite-weights"),
    NO_PRUNABLE_KERNEL("no-prunable-kernel"),
    INVALID_UPLOAD("invalid-upload"),
    UNKNOWN_ARCHITECTURE("unknown-architecture"),
    NETWORK_MISMATCH("network-mismatch"),
    INVALID_FILTERS("invalid-filters"),
    MISSING_DATASET("missing-dataset"),
    UNKNOWN_DATASET("unknown-dataset"),
    UNREACHABLE_TARGET("unreachable-target"),
    GATE_TRAINING_FAILED("gate-training-failed");

    private final String code;

    FailureReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The reason a model the store refused is dead-lettered with. */
    public static FailureReason of(ModelStoreException.Problem problem) {
        return switch (problem) {
            case OUTSIDE_STORE -> MODEL_OUTSIDE_STORE;
            case MISSING_MODEL -> MISSING_MODEL;
            case DIGEST_MISMATCH -> DIGEST_MISMATCH;
            case OTHER -> CORRUPT_MODEL;
        };
    }
}
