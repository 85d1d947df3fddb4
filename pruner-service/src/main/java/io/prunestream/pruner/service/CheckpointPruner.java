package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.VariantEvent;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.StagedDirectory;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private final TrainingData data;
    private final VariantArchive archive;
    private final Calibrator calibrator;
    private final VariantMethods methods;

    CheckpointPruner(ModelStore store, PrunerConfig config, PruningPlan plan, PrunerMeters meters, ObjectMapper json,
            TrainingData data, VariantArchive archive, Calibrator calibrator, VariantMethods methods) {
        this.store = store;
        this.plan = plan;
        this.config = config;
        this.meters = meters;
        this.json = json;
        this.data = data;
        this.archive = archive;
        this.calibrator = calibrator;
        this.methods = methods;
    }

    /**
     * Makes {@code checkpoint}'s variants, family by family in {@link VariantMethods}' order (magnitude, reconstructed,
     * then structured), and hands each variant's event to {@code publish} as soon as the variant is in place, so that
     * scoring starts while the slower methods still run. Every family plans its variants, checking what the
     * checkpoint asks of it, before the first variant is written. Returns every event handed on.
     */
    public List<VariantEvent> prune(CheckpointEvent checkpoint, Consumer<VariantEvent> publish) throws PruneFailure {
        data.requireKnown(checkpoint.dataset());
        ModelWeights weights = open(checkpoint);
        boolean inMemory = weights.inMemory();
        if (!inMemory) {
            skipWhatNeedsTheWholeModel(checkpoint, weights);
        }
        CheckpointNetwork network = inMemory ? CheckpointNetwork.of(checkpoint, weights, weights.directory()) : null;
        PrunableLayers kernels = plan.steps().isEmpty() && plan.reconstructionSteps().isEmpty() ? null
                : PrunableLayers.of(weights, checkpoint.modelUri(), config);
        // A model its dataset cannot feed is refused as the evaluator would refuse it, before a variant is written
        // and before the calibration images are read.
        CheckpointWork work = new CheckpointWork(checkpoint, weights, network, kernels, calibrator,
                calibrationImages(), () -> data.requireFeedable(checkpoint));
        // Planned slowest family first: the structured family's planning only checks what the checkpoint asks (no
        // network for its filters, a dataset its bottleneck cannot train on), the unstructured ones read the
        // calibration images, so a refusal comes before seconds of reading. Written quickest first all the same.
        List<VariantMethod> families = methods.all();
        List<List<PlannedVariant>> plans = new ArrayList<>(Collections.nCopies(families.size(), List.of()));
        for (int f = families.size() - 1; f >= 0; f--) {
            plans.set(f, families.get(f).plan(work));
        }
        work.requireFeedable();
        List<PlannedVariant> planned = plans.stream().flatMap(List::stream).toList();
        List<VariantEvent> events = new ArrayList<>();
        long calibrating = work.calibrationReadNanos();
        for (PlannedVariant variant : planned) {
            long started = System.nanoTime();
            VariantEvent event = variant(checkpoint, variant.variantId(), variant.writer());
            calibrating += variant.calibrated() ? System.nanoTime() - started : 0;
            archive.save(event);
            publish.accept(event);
            events.add(event);
        }
        if (work.calibrated()) {
            meters.checkpointCalibration(Duration.ofNanos(calibrating));
        }
        return events;
    }

    /** The most calibration images any planned step takes: batch-norm re-estimation's or reconstruction's. */
    private int calibrationImages() {
        boolean wantsBatchNorm = plan.steps().stream().anyMatch(PruningPlan.Step::calibrated)
                || plan.reconstructionSteps().stream().anyMatch(PruningPlan.ReconstructionStep::calibrated);
        return Math.max(wantsBatchNorm ? config.calibration().images() : 0,
                plan.reconstructionSteps().isEmpty() ? 0 : config.reconstruction().images());
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

    /** The event of one variant: written now, or reused from an earlier delivery of the same checkpoint. */
    private VariantEvent variant(CheckpointEvent checkpoint, String variantId, PlannedVariant.Writer writer)
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
    private VariantRecord write(Path target, String variantId, PlannedVariant.Writer writer) throws PruneFailure,
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
