package io.prunestream.pruner.service;

import io.prunestream.events.LayerReport;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.ChannelSelection;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.structured.NetworkStructure;
import java.util.ArrayList;
import java.util.List;

/** The layer reports of a structured variant: what each layer lost, and the score that decided. */
final class StructuredReports {

    private StructuredReports() {
    }

    /**
     * After one global cut: per conv or dense kernel that lost weights, its size, what it lost, and the cut's
     * threshold. After a per-group selection: per removable group, its conv, the weights it lost, and the largest L1
     * norm among its removed filters.
     */
    static List<LayerReport> of(ModelWeights weights, NetworkStructure structure, FilterRemoval.Smaller smaller,
            ChannelSelection.Selected selected) throws TensorFlowException {
        return selected.globalCut() ? kernels(weights, smaller, selected.threshold())
                : groups(weights, structure, selected.kept());
    }

    private static List<LayerReport> kernels(ModelWeights weights, FilterRemoval.Smaller smaller, double threshold)
            throws TensorFlowException {
        List<LayerReport> reports = new ArrayList<>();
        for (PrunableKernel kernel : weights.model().prunableKernels()) {
            int dense = weights.get(kernel.key()).values().length;
            int kept = smaller.weights().get(kernel.key()).length;
            if (kept < dense) {
                reports.add(new LayerReport(kernel.key(), dense, dense - kept, Math.max(threshold, 0), null));
            }
        }
        return reports;
    }

    private static List<LayerReport> groups(ModelWeights weights, NetworkStructure structure, List<int[]> kept)
            throws TensorFlowException {
        List<LayerReport> reports = new ArrayList<>();
        for (FilterGroup group : structure.filterGroups()) {
            LayerWeights kernel = L1Importance.kernel(weights, group);
            double[] norms = FilterRanking.l1Norms(kernel);
            int[] removed = FilterRanking.removed(kept.get(structure.channelGroupOf(group)), kernel.filters());
            double largest = 0;
            for (int filter : removed) {
                largest = Math.max(largest, norms[filter]);
            }
            long fanIn = kernel.size() / kernel.filters();
            reports.add(new LayerReport(kernel.name(), kernel.size(), fanIn * removed.length, largest, null));
        }
        return reports;
    }
}
