package io.prunestream.trainer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.Progress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's meters. One run trains at a time, so the progress gauges describe "the current run" and need no
 * run tag (which would grow without bound).
 */
@ApplicationScoped
public class TrainingMeters {

    private final MeterRegistry registry;
    private final AtomicReference<Progress> progress = new AtomicReference<>();
    private final AtomicReference<EpochResult> lastEpoch = new AtomicReference<>();
    private final Counter checkpoints;

    TrainingMeters(MeterRegistry registry) {
        this.registry = registry;
        progressGauge("trainer.progress.epoch", "epoch of the current run", Progress::epoch);
        progressGauge("trainer.progress.step", "steps done by the current run", Progress::step);
        progressGauge("trainer.progress.total.steps", "steps the current run will take", Progress::totalSteps);
        progressGauge("trainer.progress.loss", "training loss over the last logged steps", Progress::loss);
        progressGauge("trainer.progress.accuracy", "training accuracy over the last logged steps", Progress::accuracy);
        progressGauge("trainer.images.per.second", "training throughput over the last logged steps",
                Progress::imagesPerSecond);
        progressGauge("trainer.progress.eta.seconds", "estimated time left in the current run",
                p -> p.eta().toSeconds());
        registry.gauge("trainer.epoch.test.accuracy", lastEpoch,
                holder -> holder.get() == null ? Double.NaN : holder.get().testAccuracy());
        checkpoints = Counter.builder("trainer.checkpoints.published").description("checkpoint events acknowledged")
                .register(registry);
    }

    private void progressGauge(String name, String description, ToDoubleFunction<Progress> value) {
        io.micrometer.core.instrument.Gauge.builder(name, progress,
                holder -> holder.get() == null ? Double.NaN : value.applyAsDouble(holder.get()))
                .description(description).register(registry);
    }

    void progress(Progress value) {
        progress.set(value);
    }

    void epoch(EpochResult result) {
        lastEpoch.set(result);
    }

    void checkpointPublished() {
        checkpoints.increment();
    }

    void runFinished(RunStatus outcome) {
        registry.counter("trainer.runs.finished", "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }
}
