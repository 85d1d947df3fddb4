package io.prunestream.pruner.service;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.Splits;
import io.prunestream.events.BottleneckRequest;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.GateReport;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.Bottleneck;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.structured.GateTraining;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The structured methods: removes whole filters from a checkpoint of a known ResNet (filter-l1 and tpp: the inner
 * conv of each residual block, its batch norm and the next conv's input channels; bottleneck: whatever channels its
 * trained gates close, the stages' included), optionally fine-tunes the smaller network, and writes it as a
 * SavedModel. What a checkpoint asks for is checked in {@link #prepare} before any variant is written.
 */
@ApplicationScoped
public class StructuredPruner {

    private static final Logger LOG = Logger.getLogger(StructuredPruner.class);

    /**
     * The checkpoint's network as the structured methods see it (its channel groups: null without removable
     * filters), and the bottleneck results of its targets so far
     * (the as-removed and the fine-tuned variants of one target share one gate training).
     */
    public record Prepared(NetworkSpec network, List<FilterGroup> groups, NetworkCosts.Channels channels,
            ModelCost denseCost, List<Planned> variants, Map<Double, Bottleneck.Result> bottlenecks) {
    }

    /**
     * One structured variant of this checkpoint: its step, the ratio it removes (bottleneck: the share of
     * multiply-adds) and the filters each group keeps (bottleneck: null, the gates choose when it is written).
     */
    public record Planned(PruningPlan.StructuredStep step, double ratio, List<int[]> kept) {

        String variantId(String checkpointId) {
            return step.variantId(checkpointId, ratio);
        }
    }

    private final PruningPlan plan;
    private final PrunerConfig config;
    private final TrainingData data;
    private final PrunerMeters meters;
    private final Map<PruningMethod, FilterChoice> choices = Map.of(PruningMethod.FILTER_L1, new L1FilterChoice(),
            PruningMethod.TPP, new TppFilterChoice());

    StructuredPruner(PruningPlan plan, PrunerConfig config, TrainingData data, PrunerMeters meters) {
        this.plan = plan;
        this.config = config;
        this.data = data;
        this.meters = meters;
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
        BottleneckRequest request = checkpoint.bottleneck();
        if (request != null && groups.isEmpty()) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " asks for bottleneck pruning but its"
                    + " network " + network.architecture().label() + " has no channel groups to gate (only ResNets"
                    + " do)");
        }
        List<PruningPlan.StructuredStep> steps = groups.isEmpty() ? List.of()
                : request != null && request.flopsTargets() != null ? plan.structuredSteps(request.flopsTargets())
                : plan.structuredSteps();
        NetworkCosts.Channels channels;
        try {
            channels = steps.isEmpty() ? null : NetworkCosts.channels(network);
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.NETWORK_MISMATCH, id + ": " + e.getMessage(), e);
        }
        List<Planned> variants = new ArrayList<>();
        for (PruningPlan.StructuredStep step : steps) {
            boolean tpp = step.method() == PruningMethod.TPP;
            if (step.method() != PruningMethod.BOTTLENECK && tpp != (checkpoint.filters() != null)) {
                // tpp needs the filters a TPP training chose; filter-l1 is the baseline for models trained without
                // such a choice (on a TPP checkpoint it would mostly remove the same filters, already at zero).
                continue;
            }
            variants.add(plan(checkpoint, weights, channels, groups, step));
        }
        if (variants.stream().anyMatch(v -> v.step().method() == PruningMethod.BOTTLENECK)) {
            data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "train the bottleneck of");
        }
        if (variants.stream().anyMatch(v -> v.step().fineTuneEpochs() > 0)) {
            data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "fine-tune");
        }
        return new Prepared(network, groups, channels, denseCost, variants,
                new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** What one step makes of the checkpoint; a bottleneck's kept channels are the gates' to choose, later. */
    private Planned plan(CheckpointEvent checkpoint, ModelWeights weights, NetworkCosts.Channels channels,
            List<FilterGroup> groups, PruningPlan.StructuredStep step) throws PruneFailure {
        String id = "checkpoint " + checkpoint.checkpointId();
        if (step.method() == PruningMethod.BOTTLENECK) {
            try {
                Bottleneck.target(channels.model(), step.flopsTarget());
            } catch (IllegalArgumentException e) {
                throw new PruneFailure(FailureReason.UNREACHABLE_TARGET, id + ": bottleneck " + e.getMessage(), e);
            }
            return new Planned(step, 1 - step.flopsTarget(), null);
        }
        double ratio = step.method() == PruningMethod.TPP ? checkpoint.filters().ratio()
                : step.atFlopsTarget() ? l1Ratio(channels, groups, step.flopsTarget()) : step.ratio();
        try {
            return new Planned(step, ratio, choices.get(step.method()).kept(checkpoint, weights, groups, ratio));
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.NETWORK_MISMATCH, id + ": " + e.getMessage(), e);
        }
    }

    /** The share of each inner conv's filters whose removal comes closest to {@code share} of the multiply-adds. */
    private static double l1Ratio(NetworkCosts.Channels channels, List<FilterGroup> groups, double share) {
        boolean[] removable = new boolean[channels.names().size()];
        for (FilterGroup group : groups) {
            removable[channels.names().indexOf(group.producers().get(0))] = true;
        }
        ChannelCostModel model = channels.model();
        return FilterRanking.ratioFor(model, removable, Math.round(share * model.multiplyAdds()));
    }

    /** Writes one planned variant into {@code folder}; returns its record. */
    VariantRecord write(CheckpointEvent checkpoint, ModelWeights weights, Prepared prepared, Planned planned,
            String variantId, Path folder, long started) throws PruneFailure, TensorFlowException,
            ModelStoreException {
        GateReport gates = null;
        FilterRemoval.Smaller smaller;
        if (planned.step().method() == PruningMethod.BOTTLENECK) {
            Bottleneck.Result result = prepared.bottlenecks().get(planned.step().flopsTarget());
            if (result == null) {
                result = gateTraining(checkpoint, weights, prepared.network(), prepared.channels(), planned.step(),
                        variantId);
                prepared.bottlenecks().put(planned.step().flopsTarget(), result);
            }
            smaller = result.smaller();
            gates = new GateReport(planned.step().flopsTarget(), result.selection().threshold(),
                    result.gates().batches(), result.gates().step(), result.gates().loss(), result.gates().millis());
        } else {
            smaller = FilterRemoval.slice(weights, prepared.network(), planned.kept());
        }
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
                gates == null ? reports(weights, prepared.groups(), planned.kept())
                        : kernelReports(weights, smaller, gates.threshold()), 4 * smaller.denseKernelWeights(),
                4 * smaller.keptKernelWeights(), millis, new ModelCost(cost.parameters(), cost.multiplyAdds(),
                ModelDigest.bytes(folder)), prepared.denseCost(), epochs, gates, null);
    }

    /** Trains the gates at the step's target on the training split, with the checkpoint's settings or ours. */
    private Bottleneck.Result gateTraining(CheckpointEvent checkpoint, ModelWeights weights, NetworkSpec network,
            NetworkCosts.Channels channels, PruningPlan.StructuredStep step, String variantId)
            throws PruneFailure, TensorFlowException {
        PrunerConfig.Bottleneck defaults = config.bottleneck();
        BottleneckRequest request = checkpoint.bottleneck() == null
                ? new BottleneckRequest(null, null, null, null, null) : checkpoint.bottleneck();
        LabeledImages train = data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "train the bottleneck of")
                .train();
        // The paper's 200 batches of 64 were a quarter of CIFAR-10's training split.
        int batches = request.batches() != null ? request.batches()
                : defaults.batches().orElse(Math.max(1, train.count() / 4 / defaults.batchSize()));
        GateTraining.Settings settings = new GateTraining.Settings(Bottleneck.target(channels.model(),
                step.flopsTarget()),
                orDefault(request.beta(), defaults.beta()), orDefault(request.gamma(), defaults.gamma()),
                orDefault(request.learningRate(), defaults.learningRate()), batches, defaults.batchSize(),
                defaults.seed());
        Bottleneck.Result result;
        try {
            result = Bottleneck.prune(weights, network, train, settings);
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.GATE_TRAINING_FAILED, "variant " + variantId + ": "
                    + e.getMessage(), e);
        }
        meters.gateTraining(Duration.ofMillis(result.gates().millis()));
        LOG.infof("variant %s: gates trained on %d batches of %d in %d ms (kept step %d, loss %.4f); threshold %.4f"
                + " keeps %d of %d multiply-adds (target %d)", variantId, batches, defaults.batchSize(),
                result.gates().millis(), result.gates().step(), result.gates().loss(), result.selection().threshold(),
                result.selection().multiplyAdds(), result.denseMultiplyAdds(), result.targetMultiplyAdds());
        return result;
    }

    private static double orDefault(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    /** Per conv or dense kernel that lost weights: its size, what it lost, and the gate threshold that chose. */
    private static List<LayerReport> kernelReports(ModelWeights weights, FilterRemoval.Smaller smaller,
            double threshold) throws TensorFlowException {
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
        Splits splits = data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "fine-tune");
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
