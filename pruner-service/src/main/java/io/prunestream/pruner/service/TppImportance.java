package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FilterSelection;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.NetworkStructure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code tpp}: exactly the filters the TPP training chose and drove to zero ({@link CheckpointEvent#filters()}),
 * whatever their norms are now: 0 for a chosen filter, 1 for the others. A selection that does not fit the network
 * is refused before any variant is written, naming the group.
 */
final class TppImportance implements ChannelImportance {

    static final String METHOD = "tpp";

    @Override
    public boolean appliesTo(CheckpointEvent checkpoint) {
        return checkpoint.filters() != null;
    }

    @Override
    public void check(Source source, StructuredStep step) throws PruneFailure {
        kept(source);
    }

    @Override
    public Scores scores(Source source, StructuredStep step, String variantId) throws PruneFailure {
        NetworkStructure structure = source.structure();
        List<int[]> kept = kept(source);
        List<double[]> scores = new ArrayList<>(Arrays.asList(new double[structure.channelGroups().size()][]));
        for (int g = 0; g < kept.size(); g++) {
            FilterGroup group = structure.filterGroups().get(g);
            double[] chosen = new double[group.filters()];
            for (int filter : kept.get(g)) {
                chosen[filter] = 1;
            }
            scores.set(structure.channelGroupOf(group), chosen);
        }
        return new Scores(scores, null);
    }

    /** Per removable group, the filters the training did not choose. */
    private static List<int[]> kept(Source source) throws PruneFailure {
        CheckpointEvent checkpoint = source.checkpoint();
        FilterSelection selection = checkpoint.filters();
        List<FilterGroup> groups = source.structure().filterGroups();
        String id = "checkpoint " + checkpoint.checkpointId();
        if (!METHOD.equals(selection.method())) {
            throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.method '" + selection.method()
                    + "' is not tpp, the only training that chooses filters for the pruner");
        }
        if (selection.removed().size() != groups.size()) {
            throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed lists "
                    + selection.removed().size() + " groups but "
                    + source.structure().network().architecture().label() + " has " + groups.size()
                    + " removable groups (the inner conv of each residual block)");
        }
        List<int[]> kept = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int filters = groups.get(g).filters();
            String conv = groups.get(g).producers().get(0);
            List<Integer> removed = selection.removed().get(g);
            if (!removed.isEmpty() && removed.get(removed.size() - 1) >= filters) {
                throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed[" + g + "] names filter "
                        + removed.get(removed.size() - 1) + " but group " + g + " (" + conv + ") has " + filters);
            }
            int[] keep = IntStream.range(0, filters).filter(i -> !removed.contains(i)).toArray();
            if (keep.length == 0) {
                throw new PruneFailure(FailureReason.INVALID_FILTERS, id + ": filters.removed[" + g + "] removes all "
                        + filters + " filters of " + conv + "; at least one must stay");
            }
            FilterRanking.requireValid(conv, keep, filters);
            kept.add(keep);
        }
        return kept;
    }
}
