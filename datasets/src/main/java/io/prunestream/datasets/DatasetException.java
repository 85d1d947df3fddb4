package io.prunestream.datasets;

import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;

/**
 * A dataset that cannot be used: a missing or corrupt file, a bad label, a folder of no known format. The message
 * names the file (or shard and record) and what is wrong with it; the reason is {@code missing-dataset} for a dataset
 * the catalogue already names, and the caller may say {@code invalid-dataset} for one offered for registration.
 */
public final class DatasetException extends PipelineFailure {

    public DatasetException(String message) {
        super(FailureReason.MISSING_DATASET, message);
    }

    public DatasetException(String message, Throwable cause) {
        super(FailureReason.MISSING_DATASET, message, cause);
    }
}
