package io.prunestream.datasets;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;

/** A dataset name the catalogue does not hold; the message names it and the names it does hold. */
public final class UnknownDatasetException extends PipelineFailure {

    public UnknownDatasetException(String message) {
        super(FailureReason.UNKNOWN_DATASET, message);
    }
}
