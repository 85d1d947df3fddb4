package io.prunestream.pruner.service;

import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.TensorFlowException;
import java.nio.file.Path;

/**
 * One variant a {@link VariantMethod} will make: its deterministic id, whether making it takes the calibration
 * images (its time counts as the checkpoint's calibration), and how it is written.
 */
public record PlannedVariant(String variantId, boolean calibrated, Writer writer) {

    /** Writes a variant's model into a staging folder and says what it is. */
    @FunctionalInterface
    public interface Writer {
        VariantRecord write(Path folder, String variantId, long started) throws PruneFailure, TensorFlowException,
                ModelStoreException;
    }
}
