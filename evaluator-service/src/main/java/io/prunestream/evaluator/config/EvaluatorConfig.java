package io.prunestream.evaluator.config;

import io.prunestream.events.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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
     * The datasets models are scored on, by the name events carry: {@code evaluator.datasets.<name>.dir}, a folder of
     * the four standard IDX files (the test split is used). An event naming another dataset is dead-lettered as
     * {@code unknown-dataset}.
     */
    Map<String, DatasetFolder> datasets();

    /** Images per batch fed to the model. */
    @WithDefault("256")
    int batchSize();

    /**
     * Test splits kept converted for the inputs models take (dataset, input shape, layout, preprocessing, batch size),
     * the most recently used first; each costs its values in native memory (Fashion-MNIST's test split: 31 MB).
     */
    @WithDefault("4")
    int preparedSplits();

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

    /** One dataset of the catalogue. */
    interface DatasetFolder {

        /** A folder of the standard IDX files. */
        Path dir();
    }
}
