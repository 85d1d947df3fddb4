package io.prunestream.pruner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The pruner's meters; tags are bounded (methods and failure reasons are fixed sets). */
@ApplicationScoped
public class PrunerMeters {

    private final MeterRegistry registry;
    private final Counter bytesWritten;

    PrunerMeters(MeterRegistry registry) {
        this.registry = registry;
        this.bytesWritten = Counter.builder("pruner.bytes.written").baseUnit("bytes")
                .description("bytes of variant SavedModels written").register(registry);
        for (FailureReason reason : FailureReason.values()) {
            failures(reason);
        }
    }

    void variantProduced(String method, Duration took, long bytes) {
        registry.counter("pruner.variants.produced", "method", method).increment();
        Timer.builder("pruner.prune.duration").description("time to prune and write one variant")
                .tag("method", method).publishPercentileHistogram().register(registry).record(took);
        bytesWritten.increment(bytes);
    }

    /** One training of a bottleneck's gates. */
    void gateTraining(Duration took) {
        Timer.builder("pruner.gate.training.duration").description("time to train a bottleneck's gates")
                .publishPercentileHistogram().register(registry).record(took);
    }

    /** One variant's batch-norm re-estimation. */
    void calibration(Duration took) {
        Timer.builder("pruner.calibration.duration").description("time to re-estimate one variant's batch norms")
                .tag("method", "bn").publishPercentileHistogram().register(registry).record(took);
    }

    /** A checkpoint whose variants could not be calibrated, by reason. */
    void calibrationSkipped(String reason) {
        registry.counter("pruner.calibration.skipped", "reason", reason).increment();
    }

    void variantReused(String method) {
        registry.counter("pruner.variants.reused", "method", method).increment();
    }

    public void failure(FailureReason reason) {
        failures(reason).increment();
    }

    private Counter failures(FailureReason reason) {
        return Counter.builder("pruner.failures").description("checkpoints or uploads refused, by reason")
                .tag("reason", reason.code()).register(registry);
    }
}
