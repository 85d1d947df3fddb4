package io.prunestream.pruner.config;

import io.prunestream.datasets.DatasetSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Everything the pruner reads from configuration ({@code pruner.*}). */
@ConfigMapping(prefix = "pruner")
public interface PrunerConfig {

    /** Root of the model store; checkpoints are read below it and variants written to {@code variants/<runId>/}. */
    @WithDefault("out/models")
    Path modelStore();

    /** The sparsities every checkpoint is pruned to, each in (0, 1). */
    @WithDefault("0.3,0.5,0.7,0.9")
    List<Double> sparsities();

    /**
     * The methods: {@code threshold} (pruned weights become zero), {@code threshold+mean} (mean recovery),
     * {@code obs} (layer-wise reconstruction on calibration images, at each of {@code reconstruction.scopes}), and the
     * structured ones, which remove whole filters and apply only to checkpoints whose {@code network} is a ResNet:
     * {@code filter-l1} (the smallest L1 norms, at each of {@code structured.ratios}), {@code tpp} (the filters a
     * TPP training chose, for checkpoints that carry them) and {@code bottleneck} (AutoBot: trained gates, at each of
     * {@code bottleneck.flops-targets}; with it, {@code filter-l1} also runs at those targets, for comparison).
     */
    @WithDefault("threshold,threshold+mean,obs,filter-l1,tpp,bottleneck")
    List<String> methods();

    /** The {@code bottleneck} method; a checkpoint's own {@code bottleneck} request overrides any of these. */
    Bottleneck bottleneck();

    /** Structured pruning: how much, and whether to train the smaller network further. */
    Structured structured();

    /** Calibration of the magnitude variants after pruning, without training ({@code pruner.calibration.*}). */
    Calibration calibration();

    /** Layer-wise reconstruction, method {@code obs} ({@code pruner.reconstruction.*}). */
    Reconstruction reconstruction();

    /** Settings of {@code obs}. */
    interface Reconstruction {

        /**
         * How a target sparsity is spread over the kernels: {@code layer} (each kernel at it) and {@code global}
         * (each kernel at the share one magnitude threshold over all of them leaves it); one variant per scope.
         * Default {@code global}: it scored higher than {@code layer} from 50% up in {@code bench/fidelity.sh}.
         */
        @WithDefault("global")
        List<String> scopes();

        /**
         * The first images of the training split each layer's inputs are collected on (each image gives a conv
         * layer one row per output position).
         */
        @WithDefault("256")
        int images();

        /**
         * The most inputs per output (a conv's height x width x input channels, a dense layer's inputs) a kernel may
         * take to be reconstructed; a wider one is pruned by magnitude in its place, as its d x d factorisations
         * would cost more than the rest of the model (the small CNN's 3,136-input dense layer: seconds per variant).
         */
        @WithDefault("2048")
        int maxInputs();

        /**
         * How the {@code global} scope spreads a sparsity over the kernels: {@code magnitude} (one magnitude threshold
         * over all of them) or {@code curves} (each kernel's output error measured at many sparsities on the
         * calibration images, then the least total error that meets the budget, by dynamic programming).
         */
        @WithDefault("magnitude")
        String allocation();

        /**
         * Passes over the network, each at {@code k / stages} of the target, the Hessians formed again on what the
         * pass before left and the masks only growing; each costs as much as the first.
         */
        @WithDefault("1")
        int stages();

        /**
         * The inputs each kernel is fitted on: {@code pruned} (the already-pruned network's, so that each layer makes
         * up for the ones before it) or {@code dense} (the dense network's, as OBC does).
         */
        @WithDefault("pruned")
        String inputs();

        /** The share of each Hessian's mean diagonal added to it before it is inverted, in (0, 1]. */
        @WithDefault("0.01")
        double damping();

        /**
         * How a kernel solved exactly chooses the weights it removes: {@code one-shot} (ranked once by the dense
         * inverse Hessian's diagonal) or {@code greedy} (OBC: one at a time, each choice after the ones before it;
         * default: 2.0 points better at 90% (7.7 to 5.7) in {@code bench/obs-tricks.sh}, at about the same cost).
         */
        @WithDefault("greedy")
        String mask();

        /**
         * The most rows x inputs^2 of a kernel solved exactly (its mask by {@code mask}, its kept weights in closed
         * form); a larger one is swept by SparseGPT. The default solves a ResNet-20's first two stages and classifier
         * exactly; 25,000,000 takes its last stage too (in {@code bench/obs-tricks.sh} 90% from a 5.7 to a 4.4-point
         * drop, at twice the time per variant).
         */
        @WithDefault("4000000")
        long exactLimit();

        /**
         * Whether each output channel's error counts as the batch norm after its kernel scales it
         * ({@code gamma / sqrt(variance + epsilon)}), so that a layer's mask compares its channels as the next layer
         * sees them (a channel of small weights comes out of its batch norm as large as the others); kernels no batch
         * norm follows are unaffected. Default on: in {@code bench/obs-tricks.sh} 90% from a 5.7 to a 5.0-point drop
         * on the plain ResNet-20, at no cost.
         */
        @WithDefault("true")
        boolean batchNormWeighted();
    }

    /** Settings of calibration ({@code pruner.calibration.*}). */
    interface Calibration {

        /**
         * {@code none} (as pruned) and {@code bn} (batch-norm statistics re-estimated on unlabeled training images):
         * one variant per magnitude or {@code obs} step and value. A checkpoint without batch norm, or without its
         * dataset's training split at hand, gets no {@code bn} variants (logged and counted by reason). Default
         * {@code none}: in {@code bench/fidelity.sh}, {@code obs} beat every {@code bn} variant of the magnitude
         * methods at every sparsity, and re-estimating after {@code obs} lowered its top-1.
         */
        @WithDefault("none")
        List<String> modes();

        /**
         * Unlabeled images of the training split the statistics are re-estimated on: a seeded random sample (the first
         * of the same sample as {@code obs} takes its images from).
         */
        @WithDefault("1024")
        int images();

        /** Seeds the sample of calibration images, so that a replayed checkpoint is calibrated on the same ones. */
        @WithDefault("42")
        long seed();
    }

    /**
     * The datasets this pruner serves, by the name checkpoint events carry: {@code pruner.datasets.<name>.dir}, a
     * dataset folder of any format, with its {@code format} and {@code classes} where detection and sorted class
     * folders are not what is wanted; datasets registered in the model store ({@code POST /datasets/{name}}) are
     * served too. A checkpoint of another dataset is dead-lettered as {@code unknown-dataset}. A dataset is read only
     * when a checkpoint needs it (calibration samples its training split; the bottleneck's gates and fine-tuning train
     * on it).
     */
    Map<String, DatasetSettings> datasets();

    /**
     * The most either split of a dataset may take decoded, to be held in memory for the bottleneck's gate training and
     * fine-tuning (CIFAR-10's training split: 154 MB).
     */
    @WithDefault("1G")
    MemorySize maxTrainingBytes();

    /** Largest dataset {@code POST /datasets/{name}} accepts, compressed and unpacked alike. */
    @WithDefault("4G")
    MemorySize maxDatasetBytes();

    /** Settings of the structured methods ({@code pruner.structured.*}). */
    interface Structured {

        /** The share of filters {@code filter-l1} removes from each removable layer, each in (0, 1). */
        @WithDefault("0.5,0.7,0.9")
        List<Double> ratios();

        /**
         * Epochs of training after removal; one variant for each value, 0 meaning as removed (TPP's published
         * numbers are after fine-tuning; the pruning-only numbers are what this service is about).
         */
        @WithDefault("0")
        List<Integer> fineTuneEpochs();

        /** SGD with momentum 0.9 and a cosine schedule from this rate. */
        @WithDefault("0.01")
        double fineTuneLearningRate();

        /** L2 decay on the kernels while fine-tuning (TPP's CIFAR setting). */
        @WithDefault("0.0005")
        double fineTuneWeightDecay();

        @WithDefault("128")
        int fineTuneBatchSize();

        /** Orders the fine-tuning batches. */
        @WithDefault("42")
        long fineTuneSeed();
    }

    /**
     * AutoBot's gates ({@code pruner.bottleneck.*}); the defaults are the paper's CIFAR runs (learning rate 0.5,
     * β 6, γ 0.2, batches of 64) with a quarter of the training split, as the paper's 200 batches were of CIFAR-10.
     */
    interface Bottleneck {

        /** Shares of the full network's multiply-adds to keep, one variant each. */
        @WithDefault("0.5,0.35")
        List<Double> flopsTargets();

        /** Weight of the multiply-add term of the loss. */
        @WithDefault("6")
        double beta();

        /** Weight of the term that pushes each gate to 0 or 1. */
        @WithDefault("0.2")
        double gamma();

        /** Adam's learning rate for the gates' logits. */
        @WithDefault("0.5")
        double learningRate();

        /** Batches the gates train for; absent: a quarter of the training split. */
        java.util.OptionalInt batches();

        @WithDefault("64")
        int batchSize();

        /** Orders the batches. */
        @WithDefault("42")
        long seed();
    }

    /**
     * The share of the JVM's maximum heap a checkpoint's float weights may take to be held in memory, in (0, 1].
     * A larger model is pruned by the magnitude methods a kernel at a time, read from its checkpoint and written
     * before the next (a 1 GB model under a 512 MB heap); its calibrated, {@code obs} and structured variants, which
     * need the whole network in memory, are skipped and counted ({@code pruner_calibration_skipped_total}).
     */
    @WithDefault("0.2")
    double weightsHeapShare();

    /** Where thresholds are chosen: {@code layer} (each kernel to the sparsity) or {@code global}. */
    @WithDefault("layer")
    String thresholdScope();

    /**
     * Where {@code threshold+mean} takes its mean: {@code filter} (per output channel), {@code layer}, or both (one
     * variant each, for comparing them).
     */
    @WithDefault("filter")
    List<String> recoveryScopes();

    /** Leaves the first conv kernel dense (it has few weights and sees the raw input). */
    @WithDefault("false")
    boolean excludeFirstConv();

    /** Leaves the last dense kernel (the classifier) dense. */
    @WithDefault("false")
    boolean excludeLastDense();

    /** Largest upload {@code POST /checkpoints} accepts, compressed and unpacked alike. */
    @WithDefault("536870912")
    long maxUploadBytes();
}
