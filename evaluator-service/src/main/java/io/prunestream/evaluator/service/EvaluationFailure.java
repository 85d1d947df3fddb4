package io.prunestream.evaluator.service;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;

/** A model that cannot be scored; the message starts with the reason's code. */
public final class EvaluationFailure extends PipelineFailure {

    public EvaluationFailure(FailureReason reason, String message) {
        super(reason, message);
    }

    public EvaluationFailure(FailureReason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }

    /** {@code failure}, with what was being scored said before its detail. */
    static EvaluationFailure of(PipelineFailure failure, String context) {
        return new EvaluationFailure(failure.reason(), context + failure.detail(), failure);
    }
}
