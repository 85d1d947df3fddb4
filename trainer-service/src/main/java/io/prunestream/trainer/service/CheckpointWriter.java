package io.prunestream.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.StagedDirectory;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.training.ModelExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one checkpoint into the model store: the SavedModel and its {@code provenance.json} go into a staging
 * folder that is renamed into place in one step, then the digest is taken over the final folder.
 */
final class CheckpointWriter {

    private final ModelStore store;
    private final ObjectMapper json;

    CheckpointWriter(ModelStore store, ObjectMapper json) {
        this.store = store;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Whether a run id has left anything in the store (ids are never reused). */
    boolean runExists(String runId) throws ModelStoreException {
        return Files.exists(store.runCheckpointsDir(runId));
    }

    CheckpointRef write(String runId, String checkpointId, int epoch, ModelExport export, Provenance provenance)
            throws ModelStoreException, TensorFlowException {
        Path target = store.checkpointDir(runId, checkpointId);
        try (StagedDirectory staged = store.stage(target)) {
            export.exportTo(staged.path());
            try {
                json.writeValue(staged.path().resolve("provenance.json").toFile(), provenance);
            } catch (IOException e) {
                throw new ModelStoreException("cannot write provenance.json for " + checkpointId + ": " + e, e);
            }
            if (!staged.commit()) {
                throw new ModelStoreException("checkpoint " + target + " already exists; run ids are never reused");
            }
        }
        return new CheckpointRef(checkpointId, epoch, store.uriOf(target), ModelDigest.of(target),
                ModelDigest.bytes(target));
    }
}
