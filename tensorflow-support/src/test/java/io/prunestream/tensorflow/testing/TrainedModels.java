package io.prunestream.tensorflow.testing;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingListener;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.nio.file.Path;

/**
 * Real checkpoints for the services' tests (shared through this module's test jar): the small CNN with the default
 * method, trained for one epoch on {@link SyntheticImages} (seed 1, 320 images; the same data
 * {@code SyntheticImages.writeIdx} writes as training split) by the trainer's own code. About 2 seconds.
 */
public final class TrainedModels {

    private TrainedModels() {
    }

    public static Path smallCnn(Path target) throws TensorFlowException {
        LabeledImages train = SyntheticImages.generate(320, 28, 1);
        LabeledImages test = SyntheticImages.generate(100, 28, 2);
        new Trainer(new TrainingSpec(null, null, MethodSpec.defaults(), 32, 1, 3L, 100), train, test)
                .run(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochResult result, ModelExport export) throws Exception {
                        export.exportTo(target);
                    }
                });
        return target;
    }
}
