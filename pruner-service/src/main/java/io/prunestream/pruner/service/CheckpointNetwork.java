package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FailureReason;
import io.prunestream.events.ModelCost;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;

/**
 * The network a checkpoint names, read once for every method: its structure (what the structured methods remove) and
 * its dense cost (what every variant's record compares with). Weights that do not match the network named are
 * refused here, before any variant is written.
 */
record CheckpointNetwork(NetworkSpec network, NetworkStructure structure, ModelCost denseCost) {

    /** The network of {@code checkpoint}, checked against {@code weights}; null when the checkpoint names none. */
    static CheckpointNetwork of(CheckpointEvent checkpoint, ModelWeights weights, Path model) throws PruneFailure {
        String id = "checkpoint " + checkpoint.checkpointId();
        if (checkpoint.network() == null) {
            if (checkpoint.filters() != null) {
                throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + " carries filters chosen by "
                        + checkpoint.filters().method() + " but no network to remove them from (architecture '"
                        + checkpoint.architecture() + "')");
            }
            return null;
        }
        NetworkSpec network;
        try {
            network = NetworkSpecs.of(checkpoint.network());
        } catch (IllegalArgumentException e) {
            throw new PruneFailure(FailureReason.UNKNOWN_ARCHITECTURE, id + ": network " + e.getMessage(), e);
        }
        try {
            NetworkStructure structure = NetworkStructure.of(network);
            structure.requireMatches(weights);
            LayerCost dense = structure.total();
            return new CheckpointNetwork(network, structure, new ModelCost(dense.parameters(), dense.multiplyAdds(),
                    ModelDigest.bytes(model)));
        } catch (TensorFlowException | ModelStoreException e) {
            throw new PruneFailure(FailureReason.NETWORK_MISMATCH, id + ": " + e.getMessage(), e);
        }
    }
}
