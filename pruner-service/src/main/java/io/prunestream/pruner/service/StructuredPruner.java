package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.GateReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ThresholdScope;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.structured.ChannelSelection;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The structured methods, in one shape: an importance per channel ({@link ChannelImportance}: L1 norms, TPP's chosen
 * filters, trained gates), a selection of the channels to keep ({@link ChannelSelection}: a share per group, or one
 * global cut to a multiply-add target), and one removal ({@link FilterRemoval}); then optional fine-tuning, and the
 * smaller network written as a SavedModel. What a checkpoint asks for is checked when it plans ({@link #plan}),
 * before any variant is written; the network's structure is read once per checkpoint ({@link CheckpointNetwork}).
 */
@ApplicationScoped
public class StructuredPruner implements VariantMethod {

    private static final Logger LOG = Logger.getLogger(StructuredPruner.class);

    /**
     * How close to the target a global cut must bring the multiply-adds, as a share of the full network's (AutoBot's
     * 50,000 FLOPs is 0.04% of its ResNet-56; the channel counts of a small network are coarser).
     */
    static final double CUT_TOLERANCE = 0.002;

    /**
     * The checkpoint as the structured methods see it, its dense cost, its structured variants, and the scores
     * computed so far (the as-removed and the fine-tuned variants of one step share one importance, one gate
     * training).
     */
    private record Prepared(ChannelImportance.Source source, ModelCost denseCost, List<Planned> variants,
            Map<String, ChannelImportance.Scores> scores) {
    }

    /** One structured variant of this checkpoint. */
    private record Planned(StructuredStep step, String variantId) {
    }

    private final PruningPlan plan;
    private final FineTuning fineTuning;
    private final Map<PruningMethod, ChannelImportance> importances;

    StructuredPruner(PruningPlan plan, PrunerConfig config, TrainingData data, PrunerMeters meters,
            FineTuning fineTuning) {
        this.plan = plan;
        this.fineTuning = fineTuning;
        this.importances = Map.of(PruningMethod.FILTER_L1, new L1Importance(), PruningMethod.TPP,
                new TppImportance(), PruningMethod.BOTTLENECK, new GateImportance(config.bottleneck(), data, meters));
    }

    @Override
    public Set<PruningMethod> methods() {
        return EnumSet.of(PruningMethod.FILTER_L1, PruningMethod.TPP, PruningMethod.BOTTLENECK);
    }

    @Override
    public int order() {
        return 2;
    }

    /** The structured variants of a checkpoint held in memory that names its network (none otherwise). */
    @Override
    public List<PlannedVariant> plan(CheckpointWork work) throws PruneFailure {
        Prepared prepared = work.weights().inMemory() ? prepare(work) : null;
        if (prepared == null) {
            return List.of();
        }
        List<PlannedVariant> planned = new ArrayList<>();
        for (Planned variant : prepared.variants()) {
            planned.add(new PlannedVariant(variant.variantId(), false,
                    (folder, variantId, started) -> write(prepared, variant, folder, started)));
        }
        return planned;
    }

    /**
     * What the structured methods will make of the checkpoint; null when it names no network. Filters that do not
     * fit the network, and requests the network cannot meet, are refused.
     */
    private Prepared prepare(CheckpointWork work) throws PruneFailure {
        CheckpointEvent checkpoint = work.checkpoint();
        CheckpointNetwork checked = work.network();
        if (checked == null) {
            return null;
        }
        String id = "checkpoint " + checkpoint.checkpointId();
        NetworkSpec network = checked.network();
        NetworkStructure structure = checked.structure();
        ModelCost denseCost = checked.denseCost();
        String label = network.architecture().label();
        if (structure.filterGroups().isEmpty() && checkpoint.filters() != null) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " carries filters chosen by "
                    + checkpoint.filters().method() + " but its network " + label
                    + " has no removable filters (only ResNets do)");
        }
        if (checkpoint.bottleneck() != null && structure.filterGroups().isEmpty()) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " asks for bottleneck pruning but its"
                    + " network " + label + " has no channel groups to gate (only ResNets do)");
        }
        ChannelImportance.Source source = new ChannelImportance.Source(checkpoint, work.weights(), structure);
        List<StructuredStep> steps = structure.filterGroups().isEmpty() ? List.of()
                : checkpoint.bottleneck() != null && checkpoint.bottleneck().flopsTargets() != null
                        ? plan.structuredSteps(checkpoint.bottleneck().flopsTargets()) : plan.structuredSteps();
        double ownRatio = checkpoint.filters() == null ? 0 : checkpoint.filters().ratio();
        List<Planned> variants = new ArrayList<>();
        for (StructuredStep step : steps) {
            ChannelImportance importance = importances.get(step.method());
            if (importance.appliesTo(checkpoint)) {
                importance.check(source, step);
                variants.add(new Planned(step, step.variantId(checkpoint.checkpointId(), ownRatio)));
            }
        }
        if (variants.stream().anyMatch(v -> v.step().fineTuneEpochs() > 0)) {
            fineTuning.requireData(checkpoint);
        }
        return new Prepared(source, denseCost, variants, new ConcurrentHashMap<>());
    }

    /** Writes one planned variant into {@code folder}: importance, selection, removal; returns its record. */
    private VariantRecord write(Prepared prepared, Planned planned, Path folder, long started) throws PruneFailure,
            TensorFlowException, ModelStoreException {
        ChannelImportance.Source source = prepared.source();
        CheckpointEvent checkpoint = source.checkpoint();
        StructuredStep step = planned.step();
        ChannelImportance importance = importances.get(step.method());
        // The as-removed and the fine-tuned variants of one method and amount share their scores.
        String scored = step.method() + "@" + step.amount();
        ChannelImportance.Scores scores = prepared.scores().get(scored);
        if (scores == null) {
            scores = importance.scores(source, step, planned.variantId());
            prepared.scores().put(scored, scores);
        }
        NetworkStructure structure = source.structure();
        ChannelSelection.Selected selected = selection(step, importance, checkpoint).select(scores.perGroup(),
                structure.channelCosts());
        FilterRemoval.Smaller smaller = FilterRemoval.sliceChannels(source.weights(), structure, selected.kept());
        GateReport gates = scores.training() == null ? null : GateImportance.report(step, scores.training(),
                selected);
        LayerCost cost = NetworkStructure.of(smaller.network()).total();
        if (selected.globalCut()) {
            LOG.infof("variant %s: threshold %.4f keeps %d of %d multiply-adds", planned.variantId(),
                    selected.threshold(), cost.multiplyAdds(), structure.channelCosts().multiplyAdds());
        }
        int epochs = step.fineTuneEpochs();
        Map<String, float[]> values = epochs > 0
                ? fineTuning.run(checkpoint, smaller, epochs, planned.variantId()) : smaller.weights();
        NetworkGraph.export(smaller.network(), values, folder);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return VariantRecord.builder().variantId(planned.variantId()).checkpointId(checkpoint.checkpointId())
                .checkpointDigest(checkpoint.modelDigest()).method(step.method()).thresholdScope(ThresholdScope.LAYER)
                .recoveryScope(RecoveryScope.NONE).targetSparsity(selected.ratio())
                .achievedSparsity(smaller.removedShare())
                .layers(StructuredReports.of(source.weights(), structure, smaller, selected))
                .denseBytes(4 * smaller.denseKernelWeights()).storageBytes(4 * smaller.keptKernelWeights())
                .pruneMillis(millis).cost(new ModelCost(cost.parameters(), cost.multiplyAdds(),
                        ModelDigest.bytes(folder))).denseCost(prepared.denseCost()).fineTuneEpochs(epochs).gates(gates)
                .build();
    }

    /** How a step's scores become kept channels: its share per group, or its multiply-add target. */
    private static ChannelSelection selection(StructuredStep step, ChannelImportance importance,
            CheckpointEvent checkpoint) {
        if (step.amount() instanceof StructuredStep.FilterShare share) {
            return new ChannelSelection.PerGroupShare(share.ratio());
        }
        if (step.amount() instanceof StructuredStep.MultiplyAddShare share) {
            return importance.comparableAcrossGroups() ? new ChannelSelection.GlobalCut(share.kept(), CUT_TOLERANCE)
                    : new ChannelSelection.PerGroupShareAtCost(share.kept());
        }
        return new ChannelSelection.PositiveScores(checkpoint.filters().ratio());
    }
}
