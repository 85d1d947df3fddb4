package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.structured.GateTraining;
import io.prunestream.tensorflow.structured.NetworkStructure;
import java.util.List;

/**
 * The first step of a structured method (importance, then selection, then removal): how much each channel of each
 * channel group of a network is worth keeping. {@code filter-l1}, {@code tpp} and {@code bottleneck} differ here
 * only; the selection ({@link io.prunestream.pruning.structured.ChannelSelection}) and the removal
 * ({@link io.prunestream.tensorflow.structured.FilterRemoval}) are shared. A new structured method is one new class.
 */
public interface ChannelImportance {

    /** A checkpoint as the structured methods see it: its event, its weights and its network's structure. */
    record Source(CheckpointEvent checkpoint, ModelWeights weights, NetworkStructure structure) {
    }

    /**
     * Scores per channel group, in {@link NetworkStructure#channelGroups} order (null for a group left whole), and
     * the gate training that produced them, where one did.
     */
    record Scores(List<double[]> perGroup, GateTraining.Gates training) {
    }

    /** Whether this method prunes {@code checkpoint} at all (tpp: only a checkpoint whose training chose filters). */
    default boolean appliesTo(CheckpointEvent checkpoint) {
        return true;
    }

    /**
     * Whether scores of different groups are on one scale, so that one global cut may compare them (trained gates);
     * otherwise a multiply-add target is met by removing the same share of every scored group.
     */
    default boolean comparableAcrossGroups() {
        return false;
    }

    /** Refuses, before any variant of the checkpoint is written, a step this importance cannot score. */
    default void check(Source source, StructuredStep step) throws PruneFailure {
    }

    /** The scores of {@code source}'s channels for {@code step}. */
    Scores scores(Source source, StructuredStep step, String variantId) throws PruneFailure, TensorFlowException;
}
