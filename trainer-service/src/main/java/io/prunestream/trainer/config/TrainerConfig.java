package io.prunestream.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Everything the trainer reads from configuration ({@code trainer.*}). */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /** Root of the model store; checkpoints go to {@code checkpoints/<runId>/<checkpointId>} below it. */
    @WithDefault("out/models")
    Path modelStore();

    Dataset dataset();

    /** A JSON run spec (the body of {@code POST /runs}) in this file is started when the service starts. */
    Optional<Path> bootRunFile();

    /** How many runs may wait behind the one that trains; more are refused with 503. */
    @WithDefault("16")
    int queueCapacity();

    /** The source revision recorded in provenance.json ({@code ./run-local.sh} sets it from git), if known. */
    Optional<String> gitCommit();

    /** Finished runs kept in memory for {@code GET /runs}; older ones are forgotten first. */
    @WithDefault("100")
    int keepFinishedRuns();

    /** The dataset every run trains on. */
    interface Dataset {

        /** A folder of the four standard IDX files ({@code scripts/fetch-dataset.sh} writes them). */
        @WithDefault("data/fashion-mnist")
        Path dir();

        /** The name checkpoint events carry. */
        @WithDefault("fashion-mnist")
        String name();
    }
}
