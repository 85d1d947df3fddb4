package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.TensorFlowException;
import java.nio.file.Path;
import java.util.List;

/**
 * Exports the model as it is at the end of an epoch, as a SavedModel whose signature {@link #SIGNATURE_KEY} takes
 * {@link #INPUT} (pixels scaled to [0, 1], shape {@link #inputShape()}) and gives {@link #LOGITS} and
 * {@link #PROBABILITIES}. Only valid during the {@link TrainingListener#onEpoch} call that received it.
 */
public interface ModelExport {

    String SIGNATURE_KEY = "serving_default";
    String INPUT = "image";
    String LOGITS = "logits";
    String PROBABILITIES = "probabilities";

    /** Writes the SavedModel into {@code directory}, which must be empty or not exist yet. */
    void exportTo(Path directory) throws TensorFlowException;

    /** The network, with what rebuilding it takes (the pixel statistics it standardises with). */
    NetworkSpec network();

    /** {@code [-1, height, width, channels]}. */
    List<Long> inputShape();

    /**
     * TPP: per removable group (block order), the filters the training chose to remove, in increasing order; null
     * for other methods, and before TPP's split.
     */
    default List<int[]> removedFilters() {
        return null;
    }

    /** The network's variables as they are now, by name. */
    java.util.Map<String, float[]> weights();

    /** The training graph's logits, in inference mode, for every image of {@code data}: {@code [n, classes]}. */
    float[] logits(io.prunestream.datasets.LabeledImages data);
}
