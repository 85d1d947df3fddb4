package io.prunestream.pruner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.VariantEvent;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.PruningException;
import io.prunestream.pruning.PruningResult;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.StagedDirectory;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.WeightTensor;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns one checkpoint into its variants. Each variant is written once: a variant folder that already exists (a
 * replayed checkpoint, or a crash after writing but before publishing) is reused with its {@code pruning.json}, so
 * the same ids are published again and no work is repeated.
 */
@ApplicationScoped
public class CheckpointPruner {

    private static final Logger LOG = Logger.getLogger(CheckpointPruner.class);

    private final ModelStore store;
    private final PruningPlan plan;
    private final PrunerConfig config;
    private final PrunerMeters meters;
    private final ObjectMapper json;
    private final StructuredPruner structured;
    private final TrainingData data;
    private final VariantArchive archive;
    private final Calibrator calibrator;

    CheckpointPruner(ModelStore store, PrunerConfig config, PruningPlan plan, PrunerMeters meters, ObjectMapper json,
            StructuredPruner structured, TrainingData data, VariantArchive archive, Calibrator calibrator) {
        this.store = store;
        this.plan = plan;
        this.config = config;
        this.meters = meters;
        this.json = json;
        this.structured = structured;
        this.data = data;
        this.archive = archive;
        this.calibrator = calibrator;
    }

    /** The variant events to publish for {@code checkpoint}, in plan order: magnitude variants, then structured. */
    public List<VariantEvent> prune(CheckpointEvent checkpoint) throws PruneFailure {
        data.requireKnown(checkpoint.dataset());
        Path model = locate(checkpoint.modelUri());
        try {
            ModelDigest.verify(model, checkpoint.modelDigest());
        } catch (ModelStoreException e) {
            throw new PruneFailure(FailureReason.DIGEST_MISMATCH, e.getMessage(), e);
        }
        ModelWeights weights;
        try {
            weights = SavedModelReader.read(model);
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
        // Everything a checkpoint asks of the structured methods is checked before any variant is written.
        StructuredPruner.Prepared structure = structured.prepare(checkpoint, weights, model);
        ModelCost denseCost = structure == null ? null : structure.denseCost();
        List<LayerWeights> layers = plan.steps().isEmpty() ? List.of()
                : prunableLayers(weights, checkpoint.modelUri());
        List<VariantEvent> events = new ArrayList<>();
        Optional<Calibrator.Prepared> calibration = plan.steps().stream().anyMatch(PruningPlan.Step::calibrated)
                ? calibrator.prepare(checkpoint, weights) : Optional.empty();
        for (PruningPlan.Step step : plan.steps()) {
            if (step.calibrated() && calibration.isEmpty()) {
                continue;
            }
            events.add(variant(checkpoint, step.variantId(checkpoint.checkpointId()), (folder, variantId, started) ->
                    magnitude(checkpoint, weights, layers, step, variantId, folder, started, denseCost,
                            step.calibrated() ? calibration.get() : null)));
        }
        for (StructuredPruner.Planned planned : structure == null ? List.<StructuredPruner.Planned>of()
                : structure.variants()) {
            events.add(variant(checkpoint, planned.variantId(checkpoint.checkpointId()), (folder, variantId, started)
                    -> structured.write(checkpoint, weights, structure, planned, variantId, folder, started)));
        }
        events.forEach(archive::save);
        return events;
    }

    /** Writes a variant's model into a staging folder and says what it is. */
    @FunctionalInterface
    private interface VariantWriter {
        VariantRecord write(Path folder, String variantId, long started) throws PruneFailure, TensorFlowException,
                ModelStoreException;
    }

    /** The event of one variant: written now, or reused from an earlier delivery of the same checkpoint. */
    private VariantEvent variant(CheckpointEvent checkpoint, String variantId, VariantWriter writer)
            throws PruneFailure {
        try {
            Path target = store.variantDir(checkpoint.runId(), variantId);
            VariantRecord record = existing(target);
            if (record == null) {
                record = write(target, variantId, writer);
            } else {
                meters.variantReused(record.method());
            }
            return VariantEvent.create(checkpoint.runId(), checkpoint.checkpointId(), variantId, store.uriOf(target),
                    ModelDigest.of(target), PruningMethod.of(record.method()), record.targetSparsity(),
                    record.achievedSparsity(), ThresholdScope.valueOf(record.thresholdScope().toUpperCase(Locale.ROOT)),
                    RecoveryScope.valueOf(record.recoveryScope().toUpperCase(Locale.ROOT)), record.layers(),
                    record.denseBytes(), record.storageBytes(), checkpoint.dataset(), checkpoint.epoch(),
                    checkpoint.signature(), record.cost(), record.denseCost(), record.fineTuneEpochs(),
                    record.gates()).withPreprocessing(checkpoint.preprocessing()).withCalibration(record.calibration());
        } catch (ModelStoreException | IOException e) {
            throw new IllegalStateException("cannot write variant " + variantId + ": " + e.getMessage(), e);
        }
    }

    private Path locate(String modelUri) throws PruneFailure {
        Path model;
        try {
            model = store.resolve(modelUri);
        } catch (ModelStoreException e) {
            throw new PruneFailure(FailureReason.MODEL_OUTSIDE_STORE, e.getMessage(), e);
        }
        if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
            throw new PruneFailure(FailureReason.MISSING_MODEL, "no SavedModel at " + modelUri + " ("
                    + model.resolve("saved_model.pb") + " does not exist)");
        }
        return model;
    }

    /** The conv and dense kernels the graph uses, less the configured exclusions. */
    private List<LayerWeights> prunableLayers(ModelWeights weights, String modelUri) throws PruneFailure {
        List<PrunableKernel> kernels = new ArrayList<>(weights.model().prunableKernels());
        if (config.excludeFirstConv()) {
            kernels.stream().filter(k -> "conv".equals(k.kind())).findFirst().ifPresent(kernels::remove);
        }
        if (config.excludeLastDense()) {
            kernels.stream().filter(k -> "dense".equals(k.kind())).reduce((a, b) -> b).ifPresent(kernels::remove);
        }
        if (kernels.isEmpty()) {
            throw new PruneFailure(FailureReason.NO_PRUNABLE_KERNEL, "the model at " + modelUri + " has no float"
                    + " kernel that a conv or dense op of its graph or of the functions it calls reads (found "
                    + weights.model().prunableKernels().size() + " before exclusions; read: Conv2D,"
                    + " Conv2DBackpropInput, DepthwiseConv2dNative, MatMul, BatchMatMul, Einsum); its ops: "
                    + String.join(", ", weights.model().opsSeen()));
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : kernels) {
            try {
                WeightTensor tensor = weights.get(kernel.key());
                long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
                // Filters along the output axis the consuming op reads, which decides per-filter mean recovery.
                FilterLayout filters = kernel.view().filterLayout(shape).orElseGet(() -> {
                    LOG.warnf("kernel %s: its transforms scatter the output channels of %s; mean recovery takes the"
                            + " whole kernel as one filter", kernel.key(), kernel.op());
                    return FilterLayout.WHOLE;
                });
                layers.add(new LayerWeights(kernel.key(), tensor.values(), shape, filters.filters(),
                        filters.stride()));
            } catch (TensorFlowException e) {
                throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
            }
        }
        return layers;
    }

    private VariantRecord existing(Path target) throws IOException {
        Path file = target.resolve(VariantRecord.FILE);
        return Files.isRegularFile(file) ? json.readValue(file.toFile(), VariantRecord.class) : null;
    }

    /** Stages the variant, records it beside the model, and moves it into place in one step. */
    private VariantRecord write(Path target, String variantId, VariantWriter writer) throws PruneFailure,
            ModelStoreException, IOException {
        long started = System.nanoTime();
        try (StagedDirectory staged = store.stage(target)) {
            VariantRecord record = writer.write(staged.path(), variantId, started);
            long bytes = ModelDigest.bytes(staged.path());
            json.writeValue(staged.path().resolve(VariantRecord.FILE).toFile(), record);
            if (!staged.commit()) {
                // Another pruner got there first; its copy is the variant.
                return existing(target);
            }
            meters.variantProduced(record.method(), Duration.ofNanos(System.nanoTime() - started), bytes);
            LOG.infof("variant %s: %s at %.2f (achieved %.4f) in %d ms", variantId, record.method(),
                    record.targetSparsity(), record.achievedSparsity(), record.pruneMillis());
            return record;
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
    }

    /**
     * A magnitude-pruned variant: the same graph with some weights zeroed or mean-recovered, and, when
     * {@code calibration} is given, its batch norms re-estimated on the pruned network.
     */
    private VariantRecord magnitude(CheckpointEvent checkpoint, ModelWeights weights, List<LayerWeights> layers,
            PruningPlan.Step step, String variantId, Path folder, long started, ModelCost denseCost,
            Calibrator.Prepared calibration) throws PruneFailure, TensorFlowException, ModelStoreException {
        PruningResult result;
        try {
            result = step.pruner().prune(layers, step.sparsity());
        } catch (PruningException e) {
            throw new PruneFailure(FailureReason.NON_FINITE_WEIGHTS, "checkpoint " + checkpoint.checkpointId()
                    + ": " + e.getMessage(), e);
        }
        Map<String, float[]> replacements = new LinkedHashMap<>();
        List<LayerReport> reports = new ArrayList<>();
        for (LayerResult layer : result.layers()) {
            replacements.put(layer.name(), layer.values());
            reports.add(new LayerReport(layer.name(), layer.parameters(), layer.pruned(), layer.threshold(),
                    layer.recoveryValue()));
        }
        Calibration calibrated = null;
        if (calibration == null) {
            SavedModelWriter.write(weights, folder, replacements);
        } else {
            calibrated = calibrator.write(weights, replacements, calibration, folder);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // Zeros are still multiplied: the network's parameters and multiply-adds are the dense ones.
        ModelCost cost = denseCost == null ? null : new ModelCost(denseCost.parameters(), denseCost.multiplyAdds(),
                ModelDigest.bytes(folder));
        return new VariantRecord(variantId, checkpoint.checkpointId(), checkpoint.modelDigest(), result.method(),
                result.thresholdScope(), result.recoveryScope(), step.sparsity(), result.achievedSparsity(), reports,
                result.denseBytes(), result.storageBytes(), millis, cost, denseCost, null, null, calibrated);
    }

}
