package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FailureReason;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.TrainingMethod;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ArchiveRefusedException;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.SafeArchive;
import io.prunestream.store.StagedDirectory;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.SignatureInfo;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a SavedModel that someone drops (a folder already in the model store, or an uploaded {@code .tar.gz}) into a
 * checkpoint event: its digest, and its serving signature read from the model itself.
 */
@ApplicationScoped
public class CheckpointRegistrar {

    /** The most files and folders a model's archive may hold. */
    private static final int MAX_ENTRIES = 100_000;

    /**
     * What a caller says about the model; null fields take defaults ({@code fashion-mnist}, {@code external},
     * {@code serving_default}; no {@code preprocessing}: x/255, NHWC).
     */
    public record Registration(String runId, String checkpointId, String dataset, String architecture,
            String signatureKey, Preprocessing preprocessing) {

        public Registration {
            dataset = dataset == null ? "fashion-mnist" : dataset;
            architecture = architecture == null ? "external" : architecture;
            signatureKey = signatureKey == null ? ServingSignature.DEFAULT_KEY : signatureKey;
        }
    }

    private final ModelStore store;
    private final PrunerConfig config;
    private final TrainingData data;

    CheckpointRegistrar(ModelStore store, PrunerConfig config, TrainingData data) {
        this.store = store;
        this.config = config;
        this.data = data;
    }

    /** A model already under the store: {@code modelPath} is relative to its root, or a {@code file:} URI. */
    public CheckpointEvent registerExisting(String modelPath, Registration registration) throws PruneFailure {
        data.requireKnown(registration.dataset());
        if (modelPath == null || modelPath.isBlank()) {
            throw new PruneFailure(FailureReason.MISSING_MODEL, "modelPath is required");
        }
        String uri = modelPath.startsWith("file:") ? modelPath
                : store.root().resolve(modelPath).normalize().toUri().toString();
        Path model;
        try {
            model = store.resolve(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
        } catch (ModelStoreException e) {
            throw new PruneFailure(FailureReason.MODEL_OUTSIDE_STORE, "modelPath '" + modelPath + "': "
                    + e.getMessage(), e);
        }
        return event(model, registration);
    }

    /** An uploaded {@code .tar.gz}, unpacked into {@code checkpoints/<runId>/<checkpointId>}. */
    public CheckpointEvent registerUpload(InputStream upload, Registration registration) throws PruneFailure {
        data.requireKnown(registration.dataset());
        try {
            Path target = store.checkpointDir(registration.runId(), registration.checkpointId());
            if (Files.exists(target)) {
                throw new PruneFailure(FailureReason.INVALID_UPLOAD, "checkpoint " + registration.checkpointId()
                        + " of run " + registration.runId() + " already exists");
            }
            try (StagedDirectory staged = store.stage(target)) {
                unpack(upload, staged.path());
                event(staged.path(), registration); // refuse what is not a SavedModel before it lands
                if (!staged.commit()) {
                    throw new PruneFailure(FailureReason.INVALID_UPLOAD, "checkpoint " + registration.checkpointId()
                            + " was uploaded twice at once");
                }
            }
            return event(target, registration);
        } catch (ModelStoreException e) {
            throw new PruneFailure(FailureReason.INVALID_UPLOAD, e.getMessage(), e);
        }
    }

    /**
     * Unpacks a model's {@code .tar.gz} into {@code folder}, a single folder around the model taken away; a Keras
     * {@code .keras} or {@code .h5} file is refused with how to export a SavedModel.
     */
    private void unpack(InputStream upload, Path folder) throws PruneFailure {
        BufferedInputStream in = new BufferedInputStream(upload);
        try {
            in.mark(16);
            byte[] start = in.readNBytes(16);
            in.reset();
            PruneFailure keras = KerasFiles.refusal(start);
            if (keras != null) {
                throw keras;
            }
            new SafeArchive(config.maxUploadBytes(), config.maxUploadBytes(), MAX_ENTRIES, "pruner.max-upload-bytes")
                    .unpack(in, folder);
            Path inner = SafeArchive.singleFolder(folder);
            if (!Files.exists(folder.resolve("saved_model.pb")) && inner != null
                    && Files.exists(inner.resolve("saved_model.pb"))) {
                SafeArchive.hoist(inner);
            }
        } catch (ArchiveRefusedException e) {
            throw new PruneFailure(FailureReason.INVALID_UPLOAD, e.getMessage(), e);
        } catch (IOException e) {
            throw new PruneFailure(FailureReason.INVALID_UPLOAD, "cannot read the upload: " + e.getMessage(), e);
        }
        if (!Files.exists(folder.resolve("saved_model.pb"))) {
            PruneFailure keras = KerasFiles.refusal(folder);
            throw keras != null ? keras : new PruneFailure(FailureReason.INVALID_UPLOAD, "the archive holds no"
                    + " saved_model.pb (at its top or in one folder)");
        }
    }

    private CheckpointEvent event(Path model, Registration registration) throws PruneFailure {
        if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
            PruneFailure keras = KerasFiles.refusal(model);
            throw keras != null ? keras : new PruneFailure(FailureReason.MISSING_MODEL, "no saved_model.pb in "
                    + model);
        }
        SignatureInfo signature;
        try {
            signature = SavedModelInspector.inspect(model).signature(registration.signatureKey());
        } catch (TensorFlowException e) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, e.getMessage(), e);
        }
        if (signature.inputs().size() != 1) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, "signature '" + registration.signatureKey()
                    + "' has inputs " + signature.inputs().keySet() + "; exactly one image input is needed");
        }
        Map.Entry<String, TensorSpec> input = signature.inputs().entrySet().iterator().next();
        if (!input.getValue().isFloat() || input.getValue().shape().isEmpty()) {
            throw new PruneFailure(FailureReason.CORRUPT_MODEL, "input '" + input.getKey() + "' is "
                    + input.getValue() + "; a float tensor of known rank is needed");
        }
        List<String> outputs = new ArrayList<>(signature.outputs().keySet());
        outputs.sort(null);
        try {
            String uri = store.uriOf(model);
            return CheckpointEvent.create(registration.runId(), registration.checkpointId(), uri,
                    ModelDigest.of(model), registration.architecture(), registration.dataset(), 0, 0, Map.of(),
                    new TrainingMethod("external", 0, Map.of()), new ServingSignature(registration.signatureKey(),
                            input.getKey(), input.getValue().shape(), outputs))
                    .withPreprocessing(registration.preprocessing());
        } catch (ModelStoreException e) {
            throw new PruneFailure(FailureReason.MODEL_OUTSIDE_STORE, e.getMessage(), e);
        }
    }
}
