package io.prunestream.datasets;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;

/** A registration under a name the catalogue already holds; nothing was written. */
public final class DatasetExistsException extends PipelineFailure {

    public DatasetExistsException(String message) {
        super(FailureReason.INVALID_DATASET, message);
    }
}
