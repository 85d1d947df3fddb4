package io.prunestream.evaluator.config;

import io.prunestream.datasets.DatasetSettings;
import io.prunestream.events.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the evaluator reads from configuration ({@code evaluator.*}). */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** Root of the model store; results are kept in {@code evaluations/<runId>/} below it and survive restarts. */
    @WithDefault("out/models")
    Path modelStore();

    /**
     * The datasets models are scored on, by the name events carry: {@code evaluator.datasets.<name>.dir}, a dataset
     * folder of any format (the test split is used), with its {@code format} and {@code classes} where detection and
     * sorted class folders are not what is wanted. Datasets registered in the model store ({@code POST /datasets} on
     * the pruner) are served too. An event naming another dataset is dead-lettered as {@code unknown-dataset}.
     */
    Map<String, DatasetSettings> datasets();

    /** Images per batch fed to the model, at most: fewer where a batch's input would pass batch-bytes. */
    @WithDefault("256")
    int batchSize();

    /**
     * The most one batch's input values may take: large images go in smaller batches (224x224x3 floats: 53 images
     * per 32 MB), so that a batch's activations stay in memory.
     */
    @WithDefault("32M")
    MemorySize batchBytes();

    /**
     * Batches of test images kept converted for the inputs models take (dataset, input shape, preprocessing), so that
     * a checkpoint's dense model and variants are fed without decoding an image again; native memory, bounded by this.
     * A split that does not fit keeps its first batches, the rest decoded again for each model.
     */
    @WithDefault("512M")
    MemorySize preparedBytes();

    /** Threads that decode and convert images ahead of the model that scores them. */
    @WithDefault("1")
    int decodeThreads();

    /**
     * Score only the first N test images of each dataset (Fashion-MNIST's official test split is not sorted by class,
     * so a prefix is roughly balanced).
     */
    Optional<Integer> sampleLimit();

    /**
     * Single-image calls timed after scoring (the model's latency, the median reported), after 5 untimed ones;
     * 0 skips the measurement.
     */
    @WithDefault("30")
    int latencySamples();

    /**
     * The arithmetic models are scored in. {@code float32}: as saved. {@code bfloat16}: TensorFlow's oneDNN rewrite
     * runs convolutions and matrix products in bfloat16 (accumulated in float32), on a CPU with AVX512-BF16 or AMX
     * only (refused at start on another; a GPU runs float32); faster, and top-1 may move slightly: every event says
     * which (docs/benchmarks.md measures both).
     */
    @WithDefault("float32")
    Precision precision();

    /** Evaluations running at once; one suits 2 cores, since TensorFlow already uses every core for one model. */
    @WithDefault("1")
    int concurrency();

    /**
     * The pruner's base URL as a reader of the report page reaches it: each variant's row links to
     * {@code <variants-url>/variants/<id>/savedmodel.tar.gz}.
     */
    @WithDefault("http://localhost:8082")
    String variantsUrl();

    /** Accuracy gauges of runs without a new evaluation for this long are removed (bounded label cardinality). */
    @WithDefault("24h")
    Duration gaugeRetention();

    /**
     * The confidence level of every interval an evaluation carries (its top-1's, its drop against the dense model's),
     * in [0.5, 1).
     */
    @WithDefault("0.95")
    double confidenceLevel();

    /**
     * How long a variant waits for its dense model's per-image results (scored by this replica or another from the
     * checkpoint event) before it is dead-lettered as {@code dense-not-scored}: a variant is never compared with
     * nothing.
     */
    @WithDefault("10m")
    Duration denseWait();

    /**
     * The seed of the random order each test split is scored in, the same for a checkpoint's dense model and all its
     * variants, so that a variant scored on part of the split is compared with its dense model image by image and the
     * part is a random sample. The dense model's stored per-image results are kept under it: changing it has each
     * checkpoint's dense model scored again before its variants are compared with it.
     */
    @WithDefault("20261207")
    long orderSeed();

    /** Sequential evaluation of variants: {@code evaluator.sequential.*}. */
    Sequential sequential();

    /**
     * A variant is scored a batch at a time in the split's random order, and stops as soon as the confidence sequence
     * of its drop against its dense model (anytime-valid, so looking after every batch costs the interval nothing) is
     * narrower than {@code tolerance} either side, or lies wholly above {@code broken-drop}; otherwise at the split's
     * end. The dense model is always scored on the whole split.
     */
    interface Sequential {

        /** Off: every variant is scored on the whole split, with fixed-sample intervals. */
        @WithDefault("true")
        boolean enabled();

        /** Half-width of the drop's interval to stop at, in points of top-1, in (0, 50]. */
        @WithDefault("0.5")
        double tolerance();

        /** A drop, in points, in (0, 100]: a variant whose drop's interval lies wholly above it is broken. */
        @WithDefault("20")
        double brokenDrop();
    }
}
