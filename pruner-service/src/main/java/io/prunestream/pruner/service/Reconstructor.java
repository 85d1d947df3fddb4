package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ThresholdScope;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.PruningException;
import io.prunestream.pruning.reconstruction.MagnitudeAllocation;
import io.prunestream.pruning.reconstruction.SparsityAllocation;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.calibration.CalibrationData;
import io.prunestream.tensorflow.calibration.LayerCurves;
import io.prunestream.tensorflow.calibration.LayerReconstruction;
import io.prunestream.tensorflow.calibration.ReconstructionOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code obs} variants: layer-wise reconstruction on the calibration images ({@link LayerReconstruction}), each
 * kernel at the step's sparsity ({@code layer}) or at the share the global allocation gives it ({@code global}: one
 * magnitude threshold, or the kernels' error curves), then, for a calibrated step, the batch norms re-estimated on the
 * reconstructed network.
 */
@ApplicationScoped
public class Reconstructor implements VariantMethod {

    private final Calibrator calibrator;
    private final PruningPlan plan;
    private final PrunerMeters meters;
    private final int images;
    private final ReconstructionOptions options;
    private final boolean curves;

    Reconstructor(Calibrator calibrator, PrunerMeters meters, PrunerConfig config, PruningPlan plan) {
        this.calibrator = calibrator;
        this.plan = plan;
        this.meters = meters;
        this.images = config.reconstruction().images();
        this.options = PlanSettings.reconstructionOptions(config.reconstruction());
        this.curves = config.reconstruction().allocation().equals("curves");
    }

    @Override
    public Set<PruningMethod> methods() {
        return EnumSet.of(PruningMethod.OBS);
    }

    @Override
    public int order() {
        return 1;
    }

    /**
     * One variant per reconstruction step, where the checkpoint's calibration images are at hand (and, for a
     * calibrated step, batch norms to re-estimate).
     */
    @Override
    public List<PlannedVariant> plan(CheckpointWork work) throws PruneFailure {
        List<PlannedVariant> planned = new ArrayList<>();
        for (PruningPlan.ReconstructionStep step : plan.reconstructionSteps()) {
            if (work.calibrationData().isEmpty() || step.calibrated() && work.batchNorm().isEmpty()) {
                continue;
            }
            planned.add(new PlannedVariant(step.variantId(work.checkpoint().checkpointId()), true,
                    (folder, variantId, started) -> write(work, step, variantId, folder, started)));
        }
        return planned;
    }

    /** Writes the variant into {@code folder} and says what it is. */
    private VariantRecord write(CheckpointWork work, PruningPlan.ReconstructionStep step, String variantId,
            Path folder, long started) throws PruneFailure, TensorFlowException, ModelStoreException {
        CheckpointEvent checkpoint = work.checkpoint();
        ModelWeights weights = work.weights();
        List<LayerWeights> layers = work.layers();
        CalibrationData data = work.calibrationData().orElseThrow();
        ObsShared shared = work.shared(ObsShared.class, ObsShared::new);
        String key = step.scope() + "@" + step.sparsity();
        LayerReconstruction.Result result = shared.reconstructions.get(key);
        if (result == null) {
            CalibrationData first = data.first(Math.min(images, data.count()));
            try {
                result = LayerReconstruction.reconstruct(weights.directory(), targets(checkpoint, weights, layers, step,
                        first, shared), first, options);
            } catch (TensorFlowException e) {
                // The model loaded and ran to get here: what failed is the reconstruction, not the model.
                throw new PruneFailure(FailureReason.CALIBRATION_FAILED, "checkpoint " + checkpoint.checkpointId()
                        + ": " + e.getMessage(), e);
            }
            meters.reconstruction(Duration.ofMillis(result.millis()));
            shared.reconstructions.put(key, result);
        }
        Calibration calibration = null;
        if (step.calibrated()) {
            calibration = calibrator.write(weights, result.kernels(), work.batchNorm().orElseThrow(), folder);
        } else {
            SavedModelWriter.write(weights, folder, result.kernels());
        }
        List<LayerReport> reports = new ArrayList<>();
        long parameters = 0;
        long pruned = 0;
        long storage = 0;
        for (LayerReconstruction.Layer layer : result.layers()) {
            reports.add(new LayerReport(layer.key(), layer.parameters(), layer.pruned(), layer.threshold(), null,
                    layer.solver()));
            parameters += layer.parameters();
            pruned += layer.pruned();
            // As the magnitude variants count it: a bit mask and the kept values.
            storage += (layer.parameters() + 7) / 8 + 4L * (layer.parameters() - layer.pruned());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        ModelCost denseCost = work.denseCost();
        ModelCost cost = denseCost == null ? null : new ModelCost(denseCost.parameters(), denseCost.multiplyAdds(),
                ModelDigest.bytes(folder));
        return VariantRecord.builder().variantId(variantId).checkpointId(checkpoint.checkpointId())
                .checkpointDigest(checkpoint.modelDigest()).method(PruningMethod.OBS)
                .thresholdScope(step.scope()).recoveryScope(RecoveryScope.NONE)
                .targetSparsity(step.sparsity()).achievedSparsity(parameters == 0 ? 0 : (double) pruned / parameters)
                .layers(reports).denseBytes(4 * parameters).storageBytes(storage).pruneMillis(millis).cost(cost)
                .denseCost(denseCost).calibration(calibration).build();
    }

    /**
     * Each kernel's sparsity: the step's ({@code layer}), or ({@code global}) the share one magnitude threshold over
     * all leaves it, or the dynamic programme's over the kernels' error curves ({@code allocation=curves}).
     */
    private List<LayerReconstruction.Target> targets(CheckpointEvent checkpoint, ModelWeights weights,
            List<LayerWeights> layers, PruningPlan.ReconstructionStep step, CalibrationData data, ObsShared shared)
            throws PruneFailure, TensorFlowException {
        List<LayerReconstruction.Target> targets = new ArrayList<>();
        if (step.scope() == ThresholdScope.LAYER) {
            layers.forEach(layer -> targets.add(new LayerReconstruction.Target(layer.name(), step.sparsity())));
            return targets;
        }
        try {
            Map<String, Double> shares;
            if (curves) {
                if (shared.curves == null) {
                    shared.curves = LayerCurves.measure(weights.directory(), layers.stream().map(LayerWeights::name)
                            .toList(), data, options.maxInputs());
                }
                shares = SparsityAllocation.allocate(shared.curves, step.sparsity());
            } else {
                shares = MagnitudeAllocation.allocate(layers, step.sparsity());
            }
            shares.forEach((key, share) -> targets.add(new LayerReconstruction.Target(key, share)));
        } catch (PruningException e) {
            throw new PruneFailure(FailureReason.NON_FINITE_WEIGHTS, "checkpoint " + checkpoint.checkpointId() + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new PruneFailure(FailureReason.CALIBRATION_FAILED, "checkpoint " + checkpoint.checkpointId() + ": "
                    + e.getMessage(), e);
        }
        return targets;
    }
}
