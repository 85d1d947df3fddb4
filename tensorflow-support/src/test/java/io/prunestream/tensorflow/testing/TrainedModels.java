package io.prunestream.tensorflow.testing;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingListener;
import io.prunestream.tensorflow.training.TrainingSpec;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.TppSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real checkpoints for the services' tests (shared through this module's test jar): the small CNN with the default
 * method, trained for one epoch on {@link SyntheticImages} (seed 1, 320 images; the same data
 * {@code SyntheticImages.writeIdx} writes as training split) by the trainer's own code. About 2 seconds.
 */
public final class TrainedModels {

    private TrainedModels() {
    }

    /** A TPP checkpoint, with what a checkpoint event says of it. */
    public record TppCheckpoint(Path model, NetworkSpec network, double ratio, List<int[]> removed) {
    }

    /**
     * A ResNet-8 of width 4 trained with TPP at ratio 0.5 for 3 epochs (split after 1, ramp over 1) on the same
     * generated images: its last checkpoint holds the chosen filters at exactly zero. About 5 seconds.
     */
    public static TppCheckpoint tppResNet(Path target) throws TensorFlowException {
        LabeledImages train = SyntheticImages.generate(320, 28, 1);
        LabeledImages test = SyntheticImages.generate(100, 28, 2);
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec("resnet", 8, 4, null, null),
                new OptimizerSpec("sgd", 0.05, null, 5e-4, "cosine", null, null),
                new MethodSpec(null, null, null, null, null, null, null, new TppSpec(0.5, 1.0, 1.0, null, null)), 32,
                3, 3L, 100);
        List<TppCheckpoint> last = new ArrayList<>();
        new Trainer(spec, train, test).run((result, export) -> {
            if (result.epoch() == spec.epochs()) {
                export.exportTo(target);
                last.add(new TppCheckpoint(target, export.network(), 0.5, export.removedFilters()));
            }
        });
        return last.get(0);
    }

    /** 32x32 colour scenes ({@link ColourScenes} of the generated images): 640 to train on. */
    public static final LabeledImages COLOUR_TRAIN = ColourScenes.of(SyntheticImages.generate(640, 28, 1), 32, 3);
    /** 200 colour scenes to score on. */
    public static final LabeledImages COLOUR_TEST = ColourScenes.of(SyntheticImages.generate(200, 28, 2), 32, 4);

    /**
     * The small CNN with the default method, trained for two epochs on {@link #COLOUR_TRAIN}: a colour model
     * ({@code [-1, 32, 32, 3]}, x/255, NHWC). About 4 seconds.
     */
    public static Path colourCnn(Path target) throws TensorFlowException {
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec(null, null, null, List.of(32, 32, 3), 10),
                new OptimizerSpec("adam", 0.003, null, null, "constant", null, null), MethodSpec.defaults(), 32, 2,
                3L, 100);
        new Trainer(spec, COLOUR_TRAIN, COLOUR_TEST).run((result, export) -> {
            if (result.epoch() == spec.epochs()) {
                export.exportTo(target);
            }
        });
        return target;
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
