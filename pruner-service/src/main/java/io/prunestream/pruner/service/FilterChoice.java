package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.model.FilterGroup;
import java.util.List;

/** How a structured method chooses the filters each removable group keeps. */
interface FilterChoice {

    /**
     * Per group (block order), the kept filters in increasing order.
     *
     * @param ratio the share of each group's filters to remove
     */
    List<int[]> kept(CheckpointEvent checkpoint, ModelWeights weights, List<FilterGroup> groups, double ratio)
            throws PruneFailure, TensorFlowException;
}
