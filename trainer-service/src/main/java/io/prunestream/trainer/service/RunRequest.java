package io.prunestream.trainer.service;

import io.prunestream.events.BottleneckRequest;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /runs}: an optional run id (one is generated otherwise), how often to publish a
 * checkpoint, the training spec, what the pruner's {@code bottleneck} method should do with every checkpoint (copied
 * into each checkpoint event; a ResNet's only), and the dataset to train on (the trainer's default when absent; the
 * network's input shape and classes come from it unless the spec gives them). Null fields take the defaults; invalid
 * values are refused by field name.
 */
public record RunRequest(String runId, Integer checkpointEveryEpochs, TrainingSpec training,
        BottleneckRequest bottleneck, String dataset) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public RunRequest {
        if (runId != null && !ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("runId: '" + runId + "' must be letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit, at most 100 characters");
        }
        if (dataset != null && dataset.isBlank()) {
            throw new IllegalArgumentException("dataset: must not be blank");
        }
        checkpointEveryEpochs = Objects.requireNonNullElse(checkpointEveryEpochs, 1);
        if (checkpointEveryEpochs < 1) {
            throw new IllegalArgumentException("checkpointEveryEpochs: " + checkpointEveryEpochs
                    + " must be at least 1");
        }
        training = Objects.requireNonNullElseGet(training, TrainingSpec::defaults);
        if (bottleneck != null && !ArchitectureSpec.RESNET.equals(training.architecture().name())) {
            throw new IllegalArgumentException("bottleneck: architecture " + training.architecture().label()
                    + " has no channel groups to gate; the bottleneck method prunes ResNets");
        }
    }

    /** A request without a bottleneck request, on the default dataset. */
    public RunRequest(String runId, Integer checkpointEveryEpochs, TrainingSpec training) {
        this(runId, checkpointEveryEpochs, training, null, null);
    }

    /** This request with its training spec fitted to the dataset it runs on. */
    public RunRequest with(TrainingSpec fitted, String datasetName) {
        return new RunRequest(runId, checkpointEveryEpochs, fitted, bottleneck, datasetName);
    }

    /** A checkpoint after every {@code checkpointEveryEpochs} epochs, and always after the last one. */
    public boolean checkpointAfter(int epoch) {
        return epoch % checkpointEveryEpochs == 0 || epoch == training.epochs();
    }
}
