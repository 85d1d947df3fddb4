package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FilterSelection;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.model.FilterGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code tpp}: exactly the filters the TPP training chose and drove to zero ({@link CheckpointEvent#filters()}),
 * whatever their norms are now; a selection that does not fit the network is refused, naming the group.
 */
final class TppFilterChoice implements FilterChoice {

    static final String METHOD = "tpp";

    @Override
    public List<int[]> kept(CheckpointEvent checkpoint, ModelWeights weights, List<FilterGroup> groups, double ratio)
            throws PruneFailure {
        FilterSelection selection = checkpoint.filters();
        String id = "checkpoint " + checkpoint.checkpointId();
        if (!METHOD.equals(selection.method())) {
            throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.method '" + selection.method()
                    + "' is not tpp, the only training that chooses filters for the pruner");
        }
        if (selection.removed().size() != groups.size()) {
            throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed lists "
                    + selection.removed().size() + " groups but "
                    + NetworkSpecs.of(checkpoint.network()).architecture().label() + " has " + groups.size()
                    + " removable groups (the inner conv of each residual block)");
        }
        List<int[]> kept = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int filters = groups.get(g).filters();
            List<Integer> removed = selection.removed().get(g);
            if (!removed.isEmpty() && removed.get(removed.size() - 1) >= filters) {
                throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed[" + g + "] names filter "
                        + removed.get(removed.size() - 1) + " but group " + g + " (" + groups.get(g).producers().get(0)
                        + ") has " + filters);
            }
            int[] keep = IntStream.range(0, filters).filter(i -> !removed.contains(i)).toArray();
            if (keep.length == 0) {
                throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed[" + g + "] removes all "
                        + filters + " filters of " + groups.get(g).producers().get(0) + "; at least one must stay");
            }
            FilterRanking.requireValid(groups.get(g).producers().get(0), keep, filters);
            kept.add(keep);
        }
        return kept;
    }
}
