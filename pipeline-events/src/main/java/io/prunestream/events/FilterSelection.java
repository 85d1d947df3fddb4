package io.prunestream.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The filters a training chose to remove, so that the pruner removes exactly those: {@code method} (the training
 * method that chose them, {@code tpp}), the per-layer {@code ratio} it was asked for, and for each removable group
 * of the network (the inner conv of each residual block, in block order) the indices of the filters to remove, in
 * increasing order.
 */
public record FilterSelection(String method, double ratio, List<List<Integer>> removed) {

    public FilterSelection {
        Require.text(method, "filters.method");
        if (!Double.isFinite(ratio) || ratio <= 0 || ratio >= 1) {
            throw new IllegalArgumentException("filters.ratio: " + ratio + " is outside (0, 1)");
        }
        Require.present(removed, "filters.removed");
        List<List<Integer>> copy = new ArrayList<>();
        for (int g = 0; g < removed.size(); g++) {
            List<Integer> group = Require.present(removed.get(g), "filters.removed[" + g + "]");
            for (int i = 0; i < group.size(); i++) {
                Integer index = group.get(i);
                if (index == null || index < 0 || (i > 0 && index <= group.get(i - 1))) {
                    throw new IllegalArgumentException("filters.removed[" + g + "]: " + group
                            + " is not a list of increasing filter indices from 0");
                }
            }
            copy.add(List.copyOf(group));
        }
        removed = List.copyOf(copy);
    }
}
