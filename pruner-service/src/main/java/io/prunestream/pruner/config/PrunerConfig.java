package io.prunestream.pruner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/** Everything the pruner reads from configuration ({@code pruner.*}). */
@ConfigMapping(prefix = "pruner")
public interface PrunerConfig {

    /** Root of the model store; checkpoints are read below it and variants written to {@code variants/<runId>/}. */
    @WithDefault("out/models")
    Path modelStore();

    /** The sparsities every checkpoint is pruned to, each in (0, 1). */
    @WithDefault("0.3,0.5,0.7,0.9")
    List<Double> sparsities();

    /** The methods: {@code threshold} (pruned weights become zero) and {@code threshold+mean} (mean recovery). */
    @WithDefault("threshold,threshold+mean")
    List<String> methods();

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
