package io.prunestream.evaluator.service;

import io.prunestream.store.ModelStoreException;

/** Why a model could not be scored; the code leads the dead-letter reason and tags the failure counter. */
public enum FailureReason {
    INVALID_EVENT("invalid-event"),
    MODEL_OUTSIDE_STORE("model-outside-store"),
    MISSING_MODEL("missing-model"),
    DIGEST_MISMATCH("digest-mismatch"),
    CORRUPT_MODEL("corrupt-model"),
    SIGNATURE_MISMATCH("signature-mismatch"),
    INPUT_SHAPE_MISMATCH("input-shape-mismatch"),
    UNKNOWN_DATASET("unknown-dataset"),
    INVALID_PREPROCESSING("invalid-preprocessing");

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
