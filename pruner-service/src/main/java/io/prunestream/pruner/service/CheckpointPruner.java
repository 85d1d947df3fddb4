package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.ModelCost;
import io.prunestream.events.VariantEvent;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.StagedDirectory;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.calibration.CalibrationData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
    private final Reconstructor reconstructor;
    private final MagnitudeVariants magnitude;

    CheckpointPruner(ModelStore store, PrunerConfig config, PruningPlan plan, PrunerMeters meters, ObjectMapper json,
            StructuredPruner structured, TrainingData data, VariantArchive archive, Calibrator calibrator,
            Reconstructor reconstructor, MagnitudeVariants magnitude) {
        this.store = store;
        this.plan = plan;
        this.config = config;
        this.meters = meters;
        this.json = json;
        this.structured = structured;
        this.data = data;
        this.archive = archive;
        this.calibrator = calibrator;
        this.reconstructor = reconstructor;
        this.magnitude = magnitude;
    }

    /**
     * Makes {@code checkpoint}'s variants, in plan order (magnitude, reconstructed, then structured), and hands each
     * variant's event to {@code publish} as soon as the variant is in place, so that scoring starts while the slower
     * methods still run. Everything a checkpoint asks of the pipeline is checked before the first variant is
     * written. Returns every event handed on.
     */
    public List<VariantEvent> prune(CheckpointEvent checkpoint, Consumer<VariantEvent> publish) throws PruneFailure {
        data.requireKnown(checkpoint.dataset());
        ModelWeights weights = open(checkpoint);
        Path model = weights.directory();
        boolean inMemory = weights.inMemory();
        if (!inMemory) {
            skipWhatNeedsTheWholeModel(checkpoint, weights);
        }
        // Everything a checkpoint asks of the structured methods is checked before any variant is written.
        StructuredPruner.Prepared structure = inMemory ? structured.prepare(checkpoint, weights, model) : null;
        ModelCost denseCost = structure == null ? null : structure.denseCost();
        PrunableLayers kernels = plan.steps().isEmpty() && plan.reconstructionSteps().isEmpty() ? null
                : PrunableLayers.of(weights, checkpoint.modelUri(), config);
        List<LayerWeights> layers = kernels == null || !inMemory ? List.of() : kernels.all();
        // A model its dataset cannot feed is refused as the evaluator would refuse it, before a variant is written.
        data.requireFeedable(checkpoint);
        List<VariantEvent> events = new ArrayList<>();
        Consumer<VariantEvent> emit = event -> {
            archive.save(event);
            publish.accept(event);
            events.add(event);
        };
        long calibrating = System.nanoTime();
        long uncalibrated = 0;
        boolean wantsBatchNorm = plan.steps().stream().anyMatch(PruningPlan.Step::calibrated)
                || plan.reconstructionSteps().stream().anyMatch(PruningPlan.ReconstructionStep::calibrated);
        int images = !inMemory ? 0 : Math.max(wantsBatchNorm ? config.calibration().images() : 0,
                plan.reconstructionSteps().isEmpty() ? 0 : config.reconstruction().images());
        Optional<CalibrationData> calibrationData = images > 0 ? calibrator.data(checkpoint, images)
                : Optional.empty();
        Optional<Calibrator.Prepared> batchNorm = wantsBatchNorm
                ? calibrationData.flatMap(d -> calibrator.prepare(checkpoint, weights, d)) : Optional.empty();
        for (PruningPlan.Step step : plan.steps()) {
            if (step.calibrated() && batchNorm.isEmpty()) {
                continue;
            }
            long started = System.nanoTime();
            emit.accept(variant(checkpoint, step.variantId(checkpoint.checkpointId()), (folder, variantId, begun) ->
                    magnitude.write(checkpoint, weights, kernels, layers, step, variantId, folder, begun, denseCost,
                            step.calibrated() ? batchNorm.get() : null)));
            uncalibrated += step.calibrated() ? 0 : System.nanoTime() - started;
        }
        ObsShared reconstructed = new ObsShared();
        for (PruningPlan.ReconstructionStep step : plan.reconstructionSteps()) {
            if (calibrationData.isEmpty() || step.calibrated() && batchNorm.isEmpty()) {
                continue;
            }
            emit.accept(variant(checkpoint, step.variantId(checkpoint.checkpointId()), (folder, variantId, begun) ->
                    reconstructor.write(checkpoint, weights, layers, step, variantId, folder, begun, denseCost,
                            calibrationData.get(), batchNorm.orElse(null), reconstructed)));
        }
        if (calibrationData.isPresent()) {
            meters.checkpointCalibration(Duration.ofNanos(System.nanoTime() - calibrating - uncalibrated));
        }
        for (StructuredPruner.Planned planned : structure == null ? List.<StructuredPruner.Planned>of()
                : structure.variants()) {
            emit.accept(variant(checkpoint, planned.variantId(), (folder, variantId, started)
                    -> structured.write(structure, planned, folder, started)));
        }
        return events;
    }

    /**
     * A model whose weights would not fit the heap's share for them is pruned by magnitude only, a kernel at a time:
     * calibration, reconstruction and structured pruning each need the whole network in memory.
     */
    private void skipWhatNeedsTheWholeModel(CheckpointEvent checkpoint, ModelWeights weights) {
        boolean calibrated = plan.steps().stream().anyMatch(PruningPlan.Step::calibrated)
                || !plan.reconstructionSteps().isEmpty();
        if (calibrated) {
            meters.calibrationSkipped(CalibrationSkip.WEIGHTS_EXCEED_HEAP);
        }
        LOG.warnf("checkpoint %s: its weights take %d MB, more than pruner.weights-heap-share (%.2f) of the %d MB"
                + " heap; its kernels are pruned one at a time by magnitude, and the calibrated, obs and structured"
                + " variants are skipped (give the pruner a larger heap for them)", checkpoint.checkpointId(),
                weights.floatBytes() >> 20, config.weightsHeapShare(), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The checkpoint's SavedModel, from the store, verified, with its weights read (or left on disk if large). */
    private ModelWeights open(CheckpointEvent checkpoint) throws PruneFailure {
        Path model;
        try {
            model = store.verifiedModel(checkpoint.modelUri(), checkpoint.modelDigest());
        } catch (ModelStoreException e) {
            throw new PruneFailure(e.reason(), e.getMessage(), e);
        }
        try {
            return SavedModelReader.open(SavedModelInspector.inspect(model),
                    (long) (config.weightsHeapShare() * Runtime.getRuntime().maxMemory()));
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
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
            // In a bucket, another pruner (or this one before a restart) may have made it: bring it here.
            store.fetchPublished(target);
            VariantRecord record = existing(target);
            if (record == null) {
                record = write(target, variantId, writer);
            } else {
                // A local copy whose publishing failed half-way is published now; a complete one is left alone.
                store.publish(target);
                meters.variantReused(record.method().wireName());
            }
            return record.toEvent(checkpoint, store.uriOf(target), ModelDigest.of(target));
        } catch (ModelStoreException e) {
            // The bucket refused or kept failing: named as the store names it, never as a fault of the model.
            throw new PruneFailure(e.reason(), "cannot write variant " + variantId + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write variant " + variantId + ": " + e.getMessage(), e);
        }
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
            meters.variantProduced(record.method().wireName(), Duration.ofNanos(System.nanoTime() - started), bytes);
            LOG.infof("variant %s: %s at %.2f (achieved %.4f) in %d ms", variantId, record.method(),
                    record.targetSparsity(), record.achievedSparsity(), record.pruneMillis());
            return record;
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
    }
}
