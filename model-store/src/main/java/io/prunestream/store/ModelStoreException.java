package io.prunestream.store;

import io.prunestream.events.FailureReason;

/** A model URI or directory the store refuses; the message names the URI or path and why. */
public final class ModelStoreException extends Exception {

    /** What is wrong with a model an event names, for the services to name in a dead letter. */
    public enum Problem {
        /** The URI is not a safe file: URI inside the store. */
        OUTSIDE_STORE,
        /** No SavedModel is there. */
        MISSING_MODEL,
        /** The folder's digest is not the one the event carries. */
        DIGEST_MISMATCH,
        /** No object under an {@code s3://} URI, or no bucket of that name. */
        NOT_FOUND,
        /** The object store refused access, or the bucket is not one the services may read. */
        ACCESS_DENIED,
        /** The object store kept failing (5xx, throttling, timeouts) for longer than its retries last. */
        UNAVAILABLE,
        /** Anything else: an unreadable file, a folder that cannot be written. */
        OTHER
    }

    private final Problem problem;

    public ModelStoreException(String message) {
        this(Problem.OTHER, message, null);
    }

    public ModelStoreException(String message, Throwable cause) {
        this(Problem.OTHER, message, cause);
    }

    public ModelStoreException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** The reason a model the store refused is dead-lettered with. */
    public FailureReason reason() {
        return switch (problem) {
            case OUTSIDE_STORE -> FailureReason.MODEL_OUTSIDE_STORE;
            case MISSING_MODEL -> FailureReason.MISSING_MODEL;
            case DIGEST_MISMATCH -> FailureReason.DIGEST_MISMATCH;
            case NOT_FOUND -> FailureReason.MODEL_NOT_FOUND;
            case ACCESS_DENIED -> FailureReason.MODEL_ACCESS_DENIED;
            case UNAVAILABLE -> FailureReason.STORE_UNAVAILABLE;
            case OTHER -> FailureReason.CORRUPT_MODEL;
        };
    }
}
