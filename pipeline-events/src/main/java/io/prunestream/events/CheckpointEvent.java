package io.prunestream.events;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A trained model, stored as a SavedModel in the model store, ready to be pruned and scored. {@code network},
 * {@code cost}, {@code filters}, {@code bottleneck} and {@code preprocessing} are optional: what the trainer built,
 * what the model costs, the filters a TPP training chose for removal, what the {@code bottleneck} method should do
 * with it, and how its input is made from pixels (absent: {@link Preprocessing#DEFAULT}).
 */
public record CheckpointEvent(
        String eventId,
        EventType eventType,
        int schemaVersion,
        String runId,
        Instant occurredAt,
        String checkpointId,
        String modelUri,
        String modelDigest,
        String architecture,
        String dataset,
        int epoch,
        long step,
        Map<String, Double> metrics,
        TrainingMethod training,
        ServingSignature signature,
        Network network,
        ModelCost cost,
        FilterSelection filters,
        BottleneckRequest bottleneck,
        Preprocessing preprocessing) implements PipelineEvent {

    public CheckpointEvent {
        Require.envelope(eventId, eventType, EventType.CHECKPOINT, schemaVersion, runId, occurredAt);
        Require.matching(checkpointId, Require.ID, "checkpointId");
        Require.modelUri(modelUri, "modelUri");
        Require.matching(modelDigest, Require.DIGEST, "modelDigest");
        Require.text(architecture, "architecture");
        Require.text(dataset, "dataset");
        Require.atLeast(epoch, 0, "epoch");
        Require.atLeast(step, 0, "step");
        Require.present(metrics, "metrics").forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("metrics." + name + ": " + value + " is not a finite number");
            }
        });
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        Require.present(training, "training");
        Require.present(signature, "signature");
    }

    /** A new event (fresh id, now) for a checkpoint without a known network (see {@link Network}). */
    public static CheckpointEvent create(String runId, String checkpointId, String modelUri, String modelDigest,
            String architecture, String dataset, int epoch, long step, Map<String, Double> metrics,
            TrainingMethod training, ServingSignature signature) {
        return create(runId, checkpointId, modelUri, modelDigest, architecture, dataset, epoch, step, metrics,
                training, signature, null, null, null);
    }

    /** A new event (fresh id, now) for a checkpoint, asking nothing of the bottleneck; see the full form. */
    public static CheckpointEvent create(String runId, String checkpointId, String modelUri, String modelDigest,
            String architecture, String dataset, int epoch, long step, Map<String, Double> metrics,
            TrainingMethod training, ServingSignature signature, Network network, ModelCost cost,
            FilterSelection filters) {
        return create(runId, checkpointId, modelUri, modelDigest, architecture, dataset, epoch, step, metrics,
                training, signature, network, cost, filters, null);
    }

    /** A new event (fresh id, now) for a checkpoint; the remaining arguments are this record's fields. */
    public static CheckpointEvent create(String runId, String checkpointId, String modelUri, String modelDigest,
            String architecture, String dataset, int epoch, long step, Map<String, Double> metrics,
            TrainingMethod training, ServingSignature signature, Network network, ModelCost cost,
            FilterSelection filters, BottleneckRequest bottleneck) {
        return new CheckpointEvent(UUID.randomUUID().toString(), EventType.CHECKPOINT, SCHEMA_VERSION, runId,
                Instant.now(), checkpointId, modelUri, modelDigest, architecture, dataset, epoch, step, metrics,
                training, signature, network, cost, filters, bottleneck, null);
    }

    /** The same event, declaring how the model's input is made from pixels (null: the default). */
    public CheckpointEvent withPreprocessing(Preprocessing declared) {
        return new CheckpointEvent(eventId, eventType, schemaVersion, runId, occurredAt, checkpointId, modelUri,
                modelDigest, architecture, dataset, epoch, step, metrics, training, signature, network, cost, filters,
                bottleneck, declared);
    }

    /** How the model's input is made from pixels: as declared, or the default. */
    public Preprocessing preprocessingOrDefault() {
        return preprocessing == null ? Preprocessing.DEFAULT : preprocessing;
    }

    /** The same checkpoint under another run and checkpoint id, with a fresh event id: how tools replay one. */
    public CheckpointEvent republishedAs(String newRunId, String newCheckpointId) {
        return new CheckpointEvent(UUID.randomUUID().toString(), eventType, schemaVersion, newRunId, Instant.now(),
                newCheckpointId, modelUri, modelDigest, architecture, dataset, epoch, step, metrics, training,
                signature, network, cost, filters, bottleneck, preprocessing);
    }
}
