package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.FilterGroup;
import java.util.ArrayList;
import java.util.List;

/** {@code filter-l1}: each group keeps its filters of largest L1 norm (Li et al. 2017), the ratio's share removed. */
final class L1FilterChoice implements FilterChoice {

    @Override
    public List<int[]> kept(CheckpointEvent checkpoint, ModelWeights weights, List<FilterGroup> groups, double ratio)
            throws TensorFlowException {
        List<int[]> kept = new ArrayList<>();
        for (FilterGroup group : groups) {
            kept.add(FilterRanking.keep(FilterRanking.l1Norms(kernel(weights, group)), ratio));
        }
        return kept;
    }

    /** The conv kernel whose filters a group removes, as pruning-core's weights. */
    static LayerWeights kernel(ModelWeights weights, FilterGroup group) throws TensorFlowException {
        WeightTensor tensor = weights.get(group.producers().get(0));
        return new LayerWeights(tensor.key(), tensor.values(), tensor.spec().shape().stream()
                .mapToLong(Long::longValue).toArray());
    }
}
