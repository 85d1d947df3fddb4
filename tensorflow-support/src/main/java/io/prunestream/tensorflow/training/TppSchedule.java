package io.prunestream.tensorflow.training;

import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.model.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * TPP's schedule over one training run: at the split point, the filters each group keeps are chosen once (largest L1
 * norm, the ratio's share removed, as filter-l1 would on the model as it is then); from then on every step is fed the
 * regularisation coefficient and the masks, and each group is zeroed when its turn comes. A run's own object: the
 * choice lives as long as the run.
 */
final class TppSchedule {

    private final TrainingSpec spec;
    private final TrainingGraph model;
    /** Per group, the filters kept, from the split on; null before it. */
    private List<int[]> kept;

    TppSchedule(TrainingSpec spec, TrainingGraph model) {
        this.spec = spec;
        this.model = model;
    }

    /** Chooses the kept filters once the split point is reached; the choice never changes afterwards. */
    void chooseIfDue(Session session, double progress) {
        TppSpec tpp = spec.method().tpp();
        if (tpp == null || kept != null || progress < tpp.splitAt(spec.epochs())) {
            return;
        }
        Session.Runner runner = session.runner();
        model.tpp.kernels.forEach(k -> runner.fetch(k.variable()));
        List<int[]> chosen = new ArrayList<>();
        try (Result result = runner.run()) {
            for (int g = 0; g < model.tpp.kernels.size(); g++) {
                Kernel kernel = model.tpp.kernels.get(g);
                float[] values = new float[Math.toIntExact(kernel.size())];
                ((TFloat32) result.get(g)).copyTo(DataBuffers.of(values, false, false));
                chosen.add(FilterRanking.keep(FilterRanking.l1Norms(new LayerWeights(kernel.name(), values,
                        kernel.shape())), tpp.ratio()));
            }
        }
        kept = chosen;
    }

    /**
     * Feeds this step the decay coefficient and the masks of kept filters, and adds the zeroing due after it;
     * returns the tensors fed, for the caller to close after the step.
     */
    List<TFloat32> feed(Session.Runner runner, double progress) {
        List<TFloat32> feeds = new ArrayList<>();
        if (model.tpp == null || kept == null) {
            return feeds;
        }
        TppSpec tpp = spec.method().tpp();
        TFloat32 reg = TFloat32.scalarOf((float) tpp.regAt(progress, spec.epochs()));
        feeds.add(reg);
        runner.feed(model.tpp.reg, reg);
        int groups = kept.size();
        for (int g = 0; g < groups; g++) {
            float[] mask = new float[model.tpp.groups.get(g).filters()];
            for (int index : kept.get(g)) {
                mask[index] = 1f;
            }
            TFloat32 tensor = TFloat32.vectorOf(mask);
            feeds.add(tensor);
            runner.feed(model.tpp.keep.get(g), tensor);
            if (tpp.zeroes(g, groups, progress, spec.epochs())) {
                runner.addTarget(model.zeroOps.get(g));
            }
        }
        return feeds;
    }

    /** Per group, the filters chosen for removal; null before the split (or without TPP). */
    List<int[]> removedFilters() {
        if (kept == null) {
            return null;
        }
        List<int[]> removed = new ArrayList<>();
        for (int g = 0; g < kept.size(); g++) {
            removed.add(FilterRanking.removed(kept.get(g), model.tpp.groups.get(g).filters()));
        }
        return removed;
    }
}
