package io.prunestream.events;

/**
 * Why an event could not be processed, one vocabulary for every service: the code leads the dead-letter reason (the
 * {@code dead-letter-reason} header), tags the failure counters and answers a refused upload. The same fault gets the
 * same code wherever it is found.
 */
public enum FailureReason {
    /** Malformed JSON, a wrong schema version, a field out of range. */
    INVALID_EVENT("invalid-event"),
    /** The model URI is not a safe {@code file:} URI inside the store. */
    MODEL_OUTSIDE_STORE("model-outside-store"),
    /** No SavedModel where the event says. */
    MISSING_MODEL("missing-model"),
    /** The folder's digest is not the one the event carries. */
    DIGEST_MISMATCH("digest-mismatch"),
    /** Nothing under an {@code s3://} model URI: no object with that prefix, or no such bucket. */
    MODEL_NOT_FOUND("model-not-found"),
    /** The object store refused access, or the URI names a bucket outside the configured allow-list. */
    MODEL_ACCESS_DENIED("model-access-denied"),
    /** The object store failed (5xx, throttling, timeouts) for longer than the configured retries. */
    STORE_UNAVAILABLE("store-unavailable"),
    /** The SavedModel cannot be read, loaded or run. */
    CORRUPT_MODEL("corrupt-model"),
    NON_FINITE_WEIGHTS("non-finite-weights"),
    NO_PRUNABLE_KERNEL("no-prunable-kernel"),
    /** An upload that is not a usable archive or model. */
    INVALID_UPLOAD("invalid-upload"),
    UNKNOWN_ARCHITECTURE("unknown-architecture"),
    NETWORK_MISMATCH("network-mismatch"),
    INVALID_FILTERS("invalid-filters"),
    /** A dataset the catalogue names whose files are missing or unusable. */
    MISSING_DATASET("missing-dataset"),
    /** A dataset name the catalogue does not hold. */
    UNKNOWN_DATASET("unknown-dataset"),
    /** A dataset offered for registration that is not usable as a whole. */
    INVALID_DATASET("invalid-dataset"),
    UNREACHABLE_TARGET("unreachable-target"),
    GATE_TRAINING_FAILED("gate-training-failed"),
    /** The serving signature lacks the input or outputs the event names. */
    SIGNATURE_MISMATCH("signature-mismatch"),
    /** The dataset's images fit no layout, size or channel count of the model's input. */
    INPUT_SHAPE_MISMATCH("input-shape-mismatch"),
    /** A preprocessing field that cannot apply: a mean or std of the wrong length, a crop larger than the image. */
    INVALID_PREPROCESSING("invalid-preprocessing"),
    /** The model's output has another number of classes than the dataset. */
    OUTPUT_MISMATCH("output-mismatch"),
    /** Batch-norm re-estimation or layer reconstruction failed on a model that loads and runs. */
    CALIBRATION_FAILED("calibration-failed"),
    /** A variant whose dense model was not scored (by any replica) within the evaluator's wait for it. */
    DENSE_NOT_SCORED("dense-not-scored");

    private final String code;

    FailureReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
