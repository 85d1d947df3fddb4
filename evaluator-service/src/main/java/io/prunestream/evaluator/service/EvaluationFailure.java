package io.prunestream.evaluator.service;

/** A model that cannot be scored; the message starts with the reason's code. */
public final class EvaluationFailure extends Exception {

    private final FailureReason reason;

    public EvaluationFailure(FailureReason reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = reason;
    }

    public EvaluationFailure(FailureReason reason, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
