package io.prunestream.pruner.service;

import io.prunestream.datasets.Splits;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.structured.NetworkCosts;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The structured methods: removes whole filters from a checkpoint of a known ResNet (the inner conv of each residual
 * block, its batch norm and the next conv's input channels), optionally fine-tunes the smaller network, and writes it
 * as a SavedModel. What a checkpoint asks for is checked in {@link #prepare} before any variant is written.
 */
@ApplicationScoped
public class StructuredPruner {

    private static final Logger LOG = Logger.getLogger(StructuredPruner.class);

    /** The checkpoint's network as the structured methods see it. */
    public record Prepared(NetworkSpec network, List<FilterGroup> groups, ModelCost denseCost,
            List<Planned> variants) {
    }

    /** One structured variant of this checkpoint: its step, the ratio it removes and the filters each group keeps. */
    public record Planned(PruningPlan.StructuredStep step, double ratio, List<int[]> kept) {

        String variantId(String checkpointId) {
            return step.variantId(checkpointId, ratio);
        }
    }

    private final PruningPlan plan;
    private final PrunerConfig config;
    private final FineTuningData data;
    private final Map<PruningMethod, FilterChoice> choices = Map.of(PruningMethod.FILTER_L1, new L1FilterChoice(),
            PruningMethod.TPP, new TppFilterChoice());

    StructuredPruner(PruningPlan plan, PrunerConfig config, FineTuningData data) {
        this.plan = plan;
        this.config = config;
        this.data = data;
    }

    /**
     * What the structured methods will make of {@code checkpoint}, with its dense cost; null when it names no
     * network. A network that the weights do not match, filters without a network to remove them from, or filters
     * that do not fit it are refused.
     */
    public Prepared prepare(CheckpointEvent checkpoint, ModelWeights weights, Path model) throws PruneFailure {
        String id = "checkpoint " + checkpoint.checkpointId();
        if (checkpoint.network() == null) {
            if (checkpoint.filters() != null) {
                throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " carries filters chosen by "
                        + checkpoint.filters().method() + " but no network to remove them from (architecture '"
                        + checkpoint.architecture() + "')");
            }
            return null;
        }
        NetworkSpec network;
        try {
            network = NetworkSpecs.of(checkpoint.network());
        } catch (IllegalArgumentException e) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + ": network " + e.getMessage(), e);
        }
        List<FilterGroup> groups;
        ModelCost denseCost;
        try {
            groups = FilterRemoval.requireMatches(weights, network);
            LayerCost dense = NetworkCosts.total(network);
            denseCost = new ModelCost(dense.parameters(), dense.multiplyAdds(), ModelDigest.bytes(model));
        } catch (TensorFlowException | ModelStoreException e) {
            throw new PruneFailure(FailureReason.NETWORK_MISMATCH, id + ": " + e.getMessage(), e);
        }
        if (groups.isEmpty() && checkpoint.filters() != null) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " carries filters chosen by "
                    + checkpoint.filters().method() + " but its network " + network.architecture().label()
                    + " has no removable filters (only ResNets do)");
        }
        List<Planned> variants = new ArrayList<>();
        for (PruningPlan.StructuredStep step : groups.isEmpty() ? List.<PruningPlan.StructuredStep>of()
                : plan.structuredSteps()) {
            boolean tpp = step.method() == PruningMethod.TPP;
            if (tpp != (checkpoint.filters() != null)) {
                // tpp needs the filters a TPP training chose; filter-l1 is the baseline for models trained without
                // such a choice (on a TPP checkpoint it would mostly remove the same filters, already at zero).
                continue;
            }
            double ratio = tpp ? checkpoint.filters().ratio() : step.ratio();
            try {
                variants.add(new Planned(step, ratio, choices.get(step.method()).kept(checkpoint, weights, groups,
                        ratio)));
            } catch (TensorFlowException e) {
                throw new PruneFailure(FailureReason.NETWORK_MISMATCH, id + ": " + e.getMessage(), e);
            }
        }
        if (variants.stream().anyMatch(v -> v.step().fineTuneEpochs() > 0)) {
            data.splits(checkpoint.checkpointId(), checkpoint.dataset());
        }
        return new Prepared(network, groups, denseCost, variants);
    }

    /** Writes one planned variant into {@code folder}; returns its record. */
    VariantRecord write(CheckpointEvent checkpoint, ModelWeights weights, Prepared prepared, Planned planned,
            String variantId, Path folder, long started) throws PruneFailure, TensorFlowException,
            ModelStoreException {
        FilterRemoval.Smaller smaller = FilterRemoval.slice(weights, prepared.network(), planned.kept());
        Map<String, float[]> values = smaller.weights();
        int epochs = planned.step().fineTuneEpochs();
        if (epochs > 0) {
            values = fineTune(checkpoint, smaller, epochs, variantId);
        }
        NetworkGraph.export(smaller.network(), values, folder);
        LayerCost cost = NetworkCosts.total(smaller.network());
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new VariantRecord(variantId, checkpoint.checkpointId(), checkpoint.modelDigest(),
                planned.step().method().wireName(), "layer", "none", planned.ratio(), smaller.removedShare(),
                reports(weights, prepared.groups(), planned.kept()), 4 * smaller.denseKernelWeights(),
                4 * smaller.keptKernelWeights(), millis, new ModelCost(cost.parameters(), cost.multiplyAdds(),
                ModelDigest.bytes(folder)), prepared.denseCost(), epochs);
    }

    /** Per removed group: its conv, the weights it lost, and the largest L1 norm among its removed filters. */
    private static List<LayerReport> reports(ModelWeights weights, List<FilterGroup> groups, List<int[]> kept)
            throws TensorFlowException {
        List<LayerReport> reports = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            LayerWeights kernel = L1FilterChoice.kernel(weights, groups.get(g));
            double[] norms = FilterRanking.l1Norms(kernel);
            int[] removed = FilterRanking.removed(kept.get(g), kernel.filters());
            double largest = 0;
            for (int filter : removed) {
                largest = Math.max(largest, norms[filter]);
            }
            long fanIn = kernel.size() / kernel.filters();
            reports.add(new LayerReport(kernel.name(), kernel.size(), fanIn * removed.length, largest, null));
        }
        return reports;
    }

    /** Trains the smaller network further on the training split; returns its weights after the last epoch. */
    private Map<String, float[]> fineTune(CheckpointEvent checkpoint, FilterRemoval.Smaller smaller, int epochs,
            String variantId) throws PruneFailure, TensorFlowException {
        PrunerConfig.Structured settings = config.structured();
        NetworkSpec network = smaller.network();
        TrainingSpec spec = new TrainingSpec(network.architecture(), new OptimizerSpec("sgd",
                settings.fineTuneLearningRate(), 0.9, settings.fineTuneWeightDecay(), "cosine", null, null),
                new MethodSpec(network.cosine(), "none", 0.0, null, null, null, null), settings.fineTuneBatchSize(),
                epochs, settings.fineTuneSeed(), 100);
        Splits splits = data.splits(checkpoint.checkpointId(), checkpoint.dataset());
        List<Map<String, float[]>> last = new ArrayList<>();
        List<EpochResult> done = Trainer.fineTuning(spec, network, smaller.weights(), splits.train(), splits.test())
                .run((result, export) -> {
                    LOG.infof("variant %s: fine-tuning epoch %d/%d, train loss %.4f, test accuracy %.4f", variantId,
                            result.epoch(), epochs, result.trainLoss(), result.testAccuracy());
                    if (result.epoch() == epochs) {
                        last.add(export.weights());
                    }
                });
        if (done.size() != epochs || last.isEmpty()) {
            throw new IllegalStateException("fine-tuning " + variantId + " stopped after " + done.size() + " of "
                    + epochs + " epochs");
        }
        return last.get(0);
    }
}
