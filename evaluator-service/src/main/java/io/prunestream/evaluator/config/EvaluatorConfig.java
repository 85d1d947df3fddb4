package io.prunestream.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything the evaluator reads from configuration ({@code evaluator.*}). */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** Root of the model store; results are kept in {@code evaluations/<runId>/} below it and survive restarts. */
    @WithDefault("out/models")
    Path modelStore();

    Dataset dataset();

    /** Images per batch fed to the model. */
    @WithDefault("256")
    int batchSize();

    /** Score only the first N test images (the IDX files interleave classes, so a prefix is balanced). */
    Optional<Integer> sampleLimit();

    /**
     * Single-image calls timed after scoring (the model's latency, the median reported), after 5 untimed ones;
     * 0 skips the measurement.
     */
    @WithDefault("30")
    int latencySamples();

    /** Evaluations running at once; one suits 2 cores, since TensorFlow already uses every core for one model. */
    @WithDefault("1")
    int concurrency();

    /** Accuracy gauges of runs without a new evaluation for this long are removed (bounded label cardinality). */
    @WithDefault("24h")
    Duration gaugeRetention();

    /** The dataset models are scored on: its test split. */
    interface Dataset {

        /** A folder of the standard IDX files. */
        @WithDefault("data/fashion-mnist")
        Path dir();

        /** The name events must carry to be scored on this dataset. */
        @WithDefault("fashion-mnist")
        String name();
    }
}
