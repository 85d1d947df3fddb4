package io.prunestream.trainer.config;

import io.prunestream.datasets.DatasetSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Everything the trainer reads from configuration ({@code trainer.*}). */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /** Root of the model store; checkpoints go to {@code checkpoints/<runId>/<checkpointId>} below it. */
    @WithDefault("out/models")
    Path modelStore();

    /**
     * The datasets runs may train on, by name ({@code trainer.datasets.<name>.dir}, with {@code format} and
     * {@code classes}); datasets registered in the model store are offered too.
     */
    Map<String, DatasetSettings> datasets();

    /** The dataset a run trains on when its request names none. */
    @WithDefault("fashion-mnist")
    String defaultDataset();

    /**
     * The most either split of a dataset may take decoded: runs hold their dataset in memory (CIFAR-10's training
     * split: 154 MB).
     */
    @WithDefault("2G")
    MemorySize maxTrainingBytes();

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
}
