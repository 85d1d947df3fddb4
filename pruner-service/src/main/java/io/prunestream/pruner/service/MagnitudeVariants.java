package io.prunestream.pruner.service;

import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FailureReason;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ThresholdScope;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.PruningException;
import io.prunestream.pruning.PruningResult;
import io.prunestream.pruning.StreamedPruning;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Magnitude-pruned variants: the same graph with some weights zeroed or mean-recovered, and, when a calibration is
 * given, its batch norms re-estimated on the pruned network. A model held in memory is pruned whole; one whose
 * weights were left on disk a kernel at a time, each kernel read, pruned and handed to the checkpoint writer before
 * the next is read.
 */
@ApplicationScoped
class MagnitudeVariants implements VariantMethod {

    private final Calibrator calibrator;
    private final PruningPlan plan;

    MagnitudeVariants(Calibrator calibrator, PruningPlan plan) {
        this.calibrator = calibrator;
        this.plan = plan;
    }

    @Override
    public Set<PruningMethod> methods() {
        return EnumSet.of(PruningMethod.THRESHOLD, PruningMethod.THRESHOLD_MEAN);
    }

    @Override
    public int order() {
        return 0;
    }

    /** One variant per magnitude step; a calibrated one only where the batch norms can be re-estimated. */
    @Override
    public List<PlannedVariant> plan(CheckpointWork work) throws PruneFailure {
        List<PlannedVariant> planned = new ArrayList<>();
        for (PruningPlan.Step step : plan.steps()) {
            if (step.calibrated() && work.batchNorm().isEmpty()) {
                continue;
            }
            Calibrator.Prepared calibration = step.calibrated() ? work.batchNorm().get() : null;
            planned.add(new PlannedVariant(step.variantId(work.checkpoint().checkpointId()), step.calibrated(),
                    (folder, variantId, started) -> write(work, step, variantId, folder, started, calibration)));
        }
        return planned;
    }

    private VariantRecord write(CheckpointWork work, PruningPlan.Step step, String variantId, Path folder,
            long started, Calibrator.Prepared calibration) throws PruneFailure, TensorFlowException,
            ModelStoreException {
        CheckpointEvent checkpoint = work.checkpoint();
        ModelWeights weights = work.weights();
        ModelCost denseCost = work.denseCost();
        PruningResult result;
        Calibration calibrated = null;
        try {
            if (weights.inMemory()) {
                result = step.pruner().prune(work.layers(), step.sparsity());
                Map<String, float[]> replacements = new LinkedHashMap<>();
                result.layers().forEach(layer -> replacements.put(layer.name(), layer.values()));
                if (calibration == null) {
                    SavedModelWriter.write(weights, folder, replacements);
                } else {
                    calibrated = calibrator.write(weights, replacements, calibration, folder);
                }
            } else {
                result = streamed(weights, work.kernels(), step, folder);
            }
        } catch (PruningException e) {
            throw new PruneFailure(FailureReason.NON_FINITE_WEIGHTS, "checkpoint " + checkpoint.checkpointId()
                    + ": " + e.getMessage(), e);
        }
        List<LayerReport> reports = new ArrayList<>();
        for (LayerResult layer : result.layers()) {
            reports.add(new LayerReport(layer.name(), layer.parameters(), layer.pruned(), layer.threshold(),
                    layer.recoveryValue()));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // Zeros are still multiplied: the network's parameters and multiply-adds are the dense ones.
        ModelCost cost = denseCost == null ? null : new ModelCost(denseCost.parameters(), denseCost.multiplyAdds(),
                ModelDigest.bytes(folder));
        return VariantRecord.builder().variantId(variantId).checkpointId(checkpoint.checkpointId())
                .checkpointDigest(checkpoint.modelDigest()).method(PruningMethod.of(result.method()))
                .thresholdScope(ThresholdScope.of(result.thresholdScope()))
                .recoveryScope(RecoveryScope.of(result.recoveryScope())).targetSparsity(step.sparsity())
                .achievedSparsity(result.achievedSparsity()).layers(reports).denseBytes(result.denseBytes())
                .storageBytes(result.storageBytes()).pruneMillis(millis).cost(cost).denseCost(denseCost)
                .calibration(calibrated).build();
    }

    /** Each kernel read, pruned and written in the checkpoint's order, one in memory at a time. */
    private static PruningResult streamed(ModelWeights weights, PrunableLayers kernels, PruningPlan.Step step,
            Path folder) throws PruningException, TensorFlowException {
        StreamedPruning pruning = step.pruner().streamed(kernels, step.sparsity());
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < kernels.count(); k++) {
            index.put(kernels.key(k), k);
        }
        SavedModelWriter.write(weights, folder, index.keySet(), key -> pruning.layer(index.get(key)).values());
        return pruning.result();
    }
}
