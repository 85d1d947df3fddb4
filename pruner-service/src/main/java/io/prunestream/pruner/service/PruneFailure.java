package io.prunestream.pruner.service;

/** A checkpoint or upload that cannot be pruned; the message starts with the reason's code. */
public final class PruneFailure extends Exception {

    private final FailureReason reason;

    public PruneFailure(FailureReason reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = reason;
    }

    public PruneFailure(FailureReason reason, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
