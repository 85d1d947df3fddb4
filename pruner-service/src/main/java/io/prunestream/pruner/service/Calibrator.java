package io.prunestream.pruner.service;

import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SeededSample;
import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import io.prunestream.tensorflow.calibration.CalibrationData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Batch-norm re-estimation of the magnitude variants: once per checkpoint, whether it can be done (a batch norm the
 * pruner can recalibrate, the dataset's training split, an input the images fit) and on which images; then, per
 * variant, the pruned weights are written aside, their batch norms re-estimated, and the variant written with both.
 * A checkpoint that cannot be calibrated gets its uncalibrated variants only, the reason logged and counted.
 */
@ApplicationScoped
public class Calibrator {

    private static final Logger LOG = Logger.getLogger(Calibrator.class);
    /** What calibration images are for, in the log. */
    private static final String DATA_USERS = "calibrated or obs";

    /** What one checkpoint's calibrated variants are calibrated on. */
    public record Prepared(CalibrationData data, int batchNorms) {
    }

    private final PrunerConfig config;
    private final TrainingData data;
    private final PrunerMeters meters;

    Calibrator(PrunerConfig config, TrainingData data, PrunerMeters meters) {
        this.config = config;
        this.data = data;
        this.meters = meters;
    }

    /**
     * A seeded random sample of {@code images} images of {@code checkpoint}'s dataset's training split, fed as its
     * input and preprocessing say, that its variants are calibrated on; or empty, the reason logged and counted, when
     * the dataset has no training split, or fewer images, or one its input cannot take.
     */
    public Optional<CalibrationData> data(CheckpointEvent checkpoint, int images) throws PruneFailure {
        Optional<ImageSplit> found = data.train(checkpoint.checkpointId(), checkpoint.dataset());
        if (found.isEmpty()) {
            return skipped(checkpoint, DATA_USERS, CalibrationSkip.NO_CALIBRATION_DATA, "dataset '"
                    + checkpoint.dataset() + "' has no training split");
        }
        ImageSplit train = found.get();
        if (train.size() < images) {
            return skipped(checkpoint, DATA_USERS, CalibrationSkip.NO_CALIBRATION_DATA, "the training split of '"
                    + checkpoint.dataset() + "' has " + train.size() + " images, pruner.calibration.images or"
                    + " pruner.reconstruction.images asks for " + images);
        }
        ModelInput feed;
        try {
            feed = ModelInput.resolve(checkpoint.signature().inputShape(), train.shape(),
                    checkpoint.preprocessingOrDefault());
        } catch (PipelineFailure e) {
            return skipped(checkpoint, DATA_USERS, CalibrationSkip.INPUT_SHAPE_MISMATCH, e.getMessage());
        }
        return Optional.of(new CalibrationData(checkpoint.signature().key(), checkpoint.signature().inputName(),
                feed, train, SeededSample.of(train.size(), images, config.calibration().seed())));
    }

    /**
     * Batch-norm re-estimation of {@code checkpoint}'s variants on {@code data}, or empty, the reason logged and
     * counted, when the model has no batch norm it can re-estimate.
     */
    public Optional<Prepared> prepare(CheckpointEvent checkpoint, ModelWeights weights, CalibrationData data) {
        int batchNorms;
        try {
            batchNorms = BatchNormCalibration.batchNorms(weights.directory(), checkpoint.signature().key(),
                    weights.model().checkpointDtypes());
        } catch (TensorFlowException e) {
            return skipped(checkpoint, "calibrated", CalibrationSkip.UNREADABLE_GRAPH, e.getMessage());
        }
        if (batchNorms == 0) {
            return skipped(checkpoint, "calibrated", CalibrationSkip.NO_BATCH_NORM,
                    "it has no batch norm whose statistics are variables");
        }
        return Optional.of(new Prepared(data.first(config.calibration().images()), batchNorms));
    }

    private <T> Optional<T> skipped(CheckpointEvent checkpoint, String variants, CalibrationSkip reason,
            String why) {
        meters.calibrationSkipped(reason);
        LOG.infof("checkpoint %s: no %s variants (%s): %s", checkpoint.checkpointId(), variants, reason.code(),
                why);
        return Optional.empty();
    }

    /**
     * Writes the variant into {@code folder}: the pruned kernels ({@code replacements}) and the batch-norm statistics
     * re-estimated on the network they make. Returns how it was calibrated. A re-estimation that fails is
     * {@code calibration-failed}, not a corrupt model: the model loaded and ran to get here.
     */
    public Calibration write(ModelWeights weights, Map<String, float[]> replacements, Prepared prepared,
            Path folder) throws TensorFlowException, PruneFailure {
        Path pruned = folder.resolveSibling(folder.getFileName() + ".uncalibrated");
        try {
            SavedModelWriter.write(weights, pruned, replacements);
            BatchNormCalibration.Outcome outcome;
            try {
                outcome = BatchNormCalibration.calibrate(pruned, prepared.data());
            } catch (TensorFlowException e) {
                throw new PruneFailure(FailureReason.CALIBRATION_FAILED, e.getMessage(), e);
            }
            if (!outcome.calibrated()) {
                throw new PruneFailure(FailureReason.CALIBRATION_FAILED, "the pruned model of " + weights.directory()
                        + " lost its batch norms: " + outcome.skipped());
            }
            Map<String, float[]> all = new LinkedHashMap<>(replacements);
            all.putAll(outcome.statistics());
            SavedModelWriter.write(weights, folder, all);
            meters.calibration(Duration.ofMillis(outcome.millis()));
            return new Calibration(Calibration.BATCH_NORM, prepared.data().count(), outcome.batchNorms(),
                    outcome.millis());
        } finally {
            delete(pruned);
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", folder, e.getMessage());
        }
    }
}
