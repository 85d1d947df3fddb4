package io.prunestream.pruner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
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
import java.util.stream.Stream;
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

    CheckpointPruner(PrunerConfig config, PruningPlan plan, PrunerMeters meters, ObjectMapper json)
            throws ModelStoreException {
        this.store = new ModelStore(config.modelStore());
        this.plan = plan;
        this.config = config;
        this.meters = meters;
        this.json = json;
    }

    public ModelStore store() {
        return store;
    }

    /** The variant events to publish for {@code checkpoint}, in plan order. */
    public List<VariantEvent> prune(CheckpointEvent checkpoint) throws PruneFailure {
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
        List<LayerWeights> layers = prunableLayers(weights, checkpoint.modelUri());
        List<VariantEvent> events = new ArrayList<>();
        for (PruningPlan.Step step : plan.steps()) {
            String variantId = step.variantId(checkpoint.checkpointId());
            try {
                Path target = store.variantDir(checkpoint.runId(), variantId);
                VariantRecord record = existing(target);
                if (record == null) {
                    record = write(checkpoint, weights, layers, step, variantId, target);
                } else {
                    meters.variantReused(record.method());
                }
                events.add(VariantEvent.create(checkpoint.runId(), checkpoint.checkpointId(), variantId,
                        store.uriOf(target), ModelDigest.of(target), method(record.method()),
                        record.targetSparsity(), record.achievedSparsity(), ThresholdScope.valueOf(
                        record.thresholdScope().toUpperCase(Locale.ROOT)), RecoveryScope.valueOf(
                        record.recoveryScope().toUpperCase(Locale.ROOT)), record.layers(), record.denseBytes(),
                        record.storageBytes(), checkpoint.dataset(), checkpoint.epoch(), checkpoint.signature()));
            } catch (ModelStoreException | IOException e) {
                throw new IllegalStateException("cannot write variant " + variantId + ": " + e.getMessage(), e);
            }
        }
        return events;
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
                    + " kernel that a Conv2D or MatMul op of its graph reads (found "
                    + weights.model().prunableKernels().size() + " before exclusions; object-based SavedModels"
                    + " written by Python's tf.saved_model.save keep their ops in functions, which are not read yet)");
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : kernels) {
            try {
                WeightTensor tensor = weights.get(kernel.key());
                long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
                layers.add(new LayerWeights(kernel.key(), tensor.values(), shape));
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

    private VariantRecord write(CheckpointEvent checkpoint, ModelWeights weights, List<LayerWeights> layers,
            PruningPlan.Step step, String variantId, Path target) throws PruneFailure, ModelStoreException,
            IOException {
        long started = System.nanoTime();
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
        try (StagedDirectory staged = store.stage(target)) {
            SavedModelWriter.write(weights, staged.path(), replacements);
            long millis = (System.nanoTime() - started) / 1_000_000;
            VariantRecord record = new VariantRecord(variantId, checkpoint.checkpointId(), checkpoint.modelDigest(),
                    result.method(), result.thresholdScope(), result.recoveryScope(), step.sparsity(),
                    result.achievedSparsity(), reports, result.denseBytes(), result.storageBytes(), millis);
            json.writeValue(staged.path().resolve(VariantRecord.FILE).toFile(), record);
            long bytes = size(staged.path());
            if (!staged.commit()) {
                // Another pruner got there first; its copy is the variant.
                return existing(target);
            }
            meters.variantProduced(record.method(), Duration.ofNanos(System.nanoTime() - started), bytes);
            LOG.infof("variant %s: %s at %.2f (achieved %.4f) in %d ms", variantId, record.method(),
                    step.sparsity(), record.achievedSparsity(), millis);
            return record;
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            long total = 0;
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    total += Files.size(file);
                }
            }
            return total;
        }
    }

    private static PruningMethod method(String wireName) {
        return "threshold".equals(wireName) ? PruningMethod.THRESHOLD : PruningMethod.THRESHOLD_MEAN;
    }
}
