package io.prunestream.pruner.service;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.ModelCost;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.calibration.CalibrationData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One checkpoint as every {@link VariantMethod} sees it: its event and weights, the kernels the unstructured methods
 * prune, its network where it names one, the calibration images and batch-norm preparation (each read once, when a
 * method first asks), and what one method's variants share among themselves ({@link #shared}).
 */
public final class CheckpointWork {

    private final CheckpointEvent checkpoint;
    private final ModelWeights weights;
    private final CheckpointNetwork network;
    private final PrunableLayers kernels;
    private final Calibrator calibrator;
    private final int calibrationImages;
    private final Check feedable;
    private final Map<Class<?>, Object> shared = new HashMap<>();
    private boolean fed;
    private List<LayerWeights> layers;
    private Optional<CalibrationData> calibrationData;
    private Optional<Calibrator.Prepared> batchNorm;
    private long calibrationReadNanos;

    /** A check of the checkpoint that refuses it. */
    @FunctionalInterface
    interface Check {
        void run() throws PruneFailure;
    }

    /**
     * @param kernels null when no unstructured method is planned
     * @param calibrationImages how many calibration images the planned methods take at most (0: none)
     * @param feedable refuses a model its dataset's images cannot be fed to; run once, before any image is read
     */
    CheckpointWork(CheckpointEvent checkpoint, ModelWeights weights, CheckpointNetwork network,
            PrunableLayers kernels, Calibrator calibrator, int calibrationImages, Check feedable) {
        this.checkpoint = checkpoint;
        this.feedable = feedable;
        this.weights = weights;
        this.network = network;
        this.kernels = kernels;
        this.calibrator = calibrator;
        this.calibrationImages = weights.inMemory() ? calibrationImages : 0;
    }

    public CheckpointEvent checkpoint() {
        return checkpoint;
    }

    public ModelWeights weights() {
        return weights;
    }

    /** The network the checkpoint names, checked against its weights; null when it names none. */
    CheckpointNetwork network() {
        return network;
    }

    /** The dense network's cost, where the checkpoint names its network; else null. */
    public ModelCost denseCost() {
        return network == null ? null : network.denseCost();
    }

    /** The kernels the unstructured methods prune (null when none is planned). */
    PrunableLayers kernels() {
        return kernels;
    }

    /** The kernels' values, when the whole model is in memory; else empty (pruned a kernel at a time). */
    public List<LayerWeights> layers() {
        if (layers == null) {
            layers = kernels == null || !weights.inMemory() ? List.of() : kernels.all();
        }
        return layers;
    }

    /**
     * The calibration images (a seeded sample of the training split): empty when no method takes them, the model is
     * too large to be held, or its dataset's training split is not at hand (counted by the calibrator).
     */
    public Optional<CalibrationData> calibrationData() throws PruneFailure {
        if (calibrationData == null) {
            requireFeedable();
            long started = System.nanoTime();
            calibrationData = calibrationImages > 0 ? calibrator.data(checkpoint, calibrationImages)
                    : Optional.empty();
            calibrationReadNanos += System.nanoTime() - started;
        }
        return calibrationData;
    }

    /** Refuses, once, a model its dataset's images cannot be fed to (as the evaluator would). */
    void requireFeedable() throws PruneFailure {
        if (!fed) {
            feedable.run();
            fed = true;
        }
    }

    /** The batch norms to re-estimate on the calibration images; empty when there are none or no images. */
    public Optional<Calibrator.Prepared> batchNorm() throws PruneFailure {
        if (batchNorm == null) {
            Optional<CalibrationData> data = calibrationData();
            long started = System.nanoTime();
            batchNorm = data.flatMap(d -> calibrator.prepare(checkpoint, weights, d));
            calibrationReadNanos += System.nanoTime() - started;
        }
        return batchNorm;
    }

    /** Whether calibration images were read for this checkpoint. */
    boolean calibrated() {
        return calibrationData != null && calibrationData.isPresent();
    }

    /** The time spent reading the calibration images and preparing the batch norms. */
    long calibrationReadNanos() {
        return calibrationReadNanos;
    }

    /**
     * What the variants of one method share (the reconstructions of {@code obs}, the structured importance scores),
     * made the first time it is asked for.
     */
    <T> T shared(Class<T> type, Supplier<T> make) {
        return type.cast(shared.computeIfAbsent(type, t -> make.get()));
    }
}
