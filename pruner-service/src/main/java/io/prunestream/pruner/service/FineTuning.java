package io.prunestream.pruner.service;

import io.prunestream.datasets.Splits;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Trains a structurally pruned network further on its checkpoint's training split (the optional last step). */
@ApplicationScoped
public class FineTuning {

    private static final Logger LOG = Logger.getLogger(FineTuning.class);

    private final PrunerConfig.Structured settings;
    private final TrainingData data;

    FineTuning(PrunerConfig config, TrainingData data) {
        this.settings = config.structured();
        this.data = data;
    }

    /** Refuses, before any variant is written, a checkpoint whose training split is not at hand. */
    void requireData(CheckpointEvent checkpoint) throws PruneFailure {
        data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "fine-tune");
    }

    /** Trains {@code smaller} for {@code epochs} epochs; returns its weights after the last one. */
    Map<String, float[]> run(CheckpointEvent checkpoint, FilterRemoval.Smaller smaller, int epochs, String variantId)
            throws PruneFailure, TensorFlowException {
        NetworkSpec network = smaller.network();
        TrainingSpec spec = new TrainingSpec(network.architecture(), new OptimizerSpec("sgd",
                settings.fineTuneLearningRate(), 0.9, settings.fineTuneWeightDecay(), "cosine", null, null),
                new MethodSpec(network.cosine(), "none", 0.0, null, null, null, null), settings.fineTuneBatchSize(),
                epochs, settings.fineTuneSeed(), 100);
        Splits splits = data.splits(checkpoint.checkpointId(), checkpoint.dataset(), "fine-tune");
        List<Map<String, float[]>> last = new ArrayList<>();
        List<EpochResult> done = Trainer.fineTuning(spec, network, smaller.weights(), splits.train(), splits.test())
                .run((result, export) -> {
                    LOG.infof("variant %s: fine-tuning epoch %d/%d, train loss %.4f, test accuracy %.4f", variantId,
                            result.epoch(), epochs, result.trainLoss(), result.testAccuracy());
                    if (result.epoch() == epochs) {
                        last.add(export.weights());
                    }
                });
        if (done.size() != epochs || last.isEmpty()) {
            throw new IllegalStateException("fine-tuning " + variantId + " stopped after " + done.size() + " of "
                    + epochs + " epochs");
        }
        return last.get(0);
    }
}
