package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.events.BottleneckRequest;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.GateReport;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.structured.ChannelSelection;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.structured.GateTraining;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code bottleneck} (AutoBot): a channel's score is its gate, trained towards the step's multiply-add target on the
 * training split with the weights frozen ({@link GateTraining}); gates of every group are on one scale, so one
 * global cut selects. The checkpoint's own settings ({@link BottleneckRequest}) or the configured ones.
 */
final class GateImportance implements ChannelImportance {

    private static final Logger LOG = Logger.getLogger(GateImportance.class);

    private final PrunerConfig.Bottleneck defaults;
    private final TrainingData data;
    private final PrunerMeters meters;

    GateImportance(PrunerConfig.Bottleneck defaults, TrainingData data, PrunerMeters meters) {
        this.defaults = defaults;
        this.data = data;
        this.meters = meters;
    }

    @Override
    public boolean comparableAcrossGroups() {
        return true;
    }

    @Override
    public void check(Source source, StructuredStep step) throws PruneFailure {
        CheckpointEvent checkpoint = source.checkpoint();
        try {
            source.structure().multiplyAddTarget(keptShare(step));
        } catch (IllegalArgumentException e) {
            throw new PruneFailure(FailureReason.UNREACHABLE_TARGET, "checkpoint " + checkpoint.checkpointId()
                    + ": bottleneck " + e.getMessage(), e);
        }
        data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "train the bottleneck of");
    }

    @Override
    public Scores scores(Source source, StructuredStep step, String variantId) throws PruneFailure {
        CheckpointEvent checkpoint = source.checkpoint();
        BottleneckRequest request = checkpoint.bottleneck() == null
                ? new BottleneckRequest(null, null, null, null, null) : checkpoint.bottleneck();
        LabeledImages train = data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "train the bottleneck of")
                .train();
        // The paper's 200 batches of 64 were a quarter of CIFAR-10's training split.
        int batches = request.batches() != null ? request.batches()
                : defaults.batches().orElse(Math.max(1, train.count() / 4 / defaults.batchSize()));
        GateTraining.Settings settings = new GateTraining.Settings(source.structure().multiplyAddTarget(
                keptShare(step)), orDefault(request.beta(), defaults.beta()),
                orDefault(request.gamma(), defaults.gamma()), orDefault(request.learningRate(),
                        defaults.learningRate()), batches, defaults.batchSize(), defaults.seed());
        GateTraining.Gates gates;
        try {
            gates = GateTraining.train(source.structure().network(), source.weights().floatValues(), train,
                    settings);
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.GATE_TRAINING_FAILED, "variant " + variantId + ": "
                    + e.getMessage(), e);
        }
        meters.gateTraining(Duration.ofMillis(gates.millis()));
        LOG.infof("variant %s: gates trained on %d batches of %d in %d ms (kept step %d, loss %.4f)", variantId,
                batches, defaults.batchSize(), gates.millis(), gates.step(), gates.loss());
        List<double[]> scores = new ArrayList<>();
        for (float[] group : gates.gates()) {
            double[] values = new double[group.length];
            for (int i = 0; i < group.length; i++) {
                values[i] = group[i];
            }
            scores.add(values);
        }
        return new Scores(scores, gates);
    }

    /** What the gate training and the cut on its gates did, for the variant's event. */
    static GateReport report(StructuredStep step, GateTraining.Gates gates, ChannelSelection.Selected selected) {
        return new GateReport(keptShare(step), selected.threshold(), gates.batches(), gates.step(), gates.loss(),
                gates.millis());
    }

    private static double keptShare(StructuredStep step) {
        if (step.amount() instanceof StructuredStep.MultiplyAddShare share) {
            return share.kept();
        }
        throw new IllegalStateException("bottleneck prunes to a multiply-add target, not " + step.amount());
    }

    private static double orDefault(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
