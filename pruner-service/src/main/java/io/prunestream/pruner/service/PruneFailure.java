package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;

/** A checkpoint or upload that cannot be pruned; the message starts with the reason's code. */
public final class PruneFailure extends PipelineFailure {

    public PruneFailure(FailureReason reason, String message) {
        super(reason, message);
    }

    public PruneFailure(FailureReason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }

    /** {@code failure}, with what was being done said before its detail. */
    public static PruneFailure of(PipelineFailure failure, String context) {
        return new PruneFailure(failure.reason(), context + failure.detail(), failure);
    }
}
