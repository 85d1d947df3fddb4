package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.NetworkStructure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code filter-l1}: a removable group's filters scored by the L1 norm of their weights (Li et al. 2017); the
 * baseline for checkpoints whose training chose no filters (on a TPP checkpoint it would mostly remove the same
 * filters, already at zero).
 */
final class L1Importance implements ChannelImportance {

    @Override
    public boolean appliesTo(CheckpointEvent checkpoint) {
        return checkpoint.filters() == null;
    }

    @Override
    public Scores scores(Source source, StructuredStep step, String variantId) throws TensorFlowException {
        NetworkStructure structure = source.structure();
        List<double[]> scores = new ArrayList<>(Arrays.asList(new double[structure.channelGroups().size()][]));
        for (FilterGroup group : structure.filterGroups()) {
            scores.set(structure.channelGroupOf(group), FilterRanking.l1Norms(kernel(source.weights(), group)));
        }
        return new Scores(scores, null);
    }

    /** The conv kernel whose filters a group removes, as pruning-core's weights. */
    static LayerWeights kernel(ModelWeights weights, FilterGroup group) throws TensorFlowException {
        WeightTensor tensor = weights.get(group.producers().get(0));
        return new LayerWeights(tensor.key(), tensor.values(), tensor.spec().shape().stream()
                .mapToLong(Long::longValue).toArray());
    }
}
