package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
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
    // Registered at start, so that a dashboard reads zeros rather than nothing before the first calibration.
    private final Timer calibration;
    private final Timer reconstruction;
    private final Timer checkpointCalibration;

    PrunerMeters(MeterRegistry registry) {
        this.registry = registry;
        this.bytesWritten = Counter.builder("pruner.bytes.written").baseUnit("bytes")
                .description("bytes of variant SavedModels written").register(registry);
        this.calibration = Timer.builder("pruner.calibration.duration")
                .description("time to re-estimate one variant's batch norms").tag("method", "bn")
                .publishPercentileHistogram().register(registry);
        this.reconstruction = Timer.builder("pruner.reconstruction.duration")
                .description("time to reconstruct the layers of one sparsity and scope (obs)")
                .publishPercentileHistogram().register(registry);
        this.checkpointCalibration = Timer.builder("pruner.checkpoint.calibration.duration")
                .description("time one checkpoint's calibrated and reconstructed variants took together")
                .publishPercentileHistogram().register(registry);
        for (FailureReason reason : FailureReason.values()) {
            failures(reason);
        }
        for (CalibrationSkip reason : CalibrationSkip.values()) {
            calibrationSkips(reason);
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
        calibration.record(took);
    }

    /** One layer-wise reconstruction, which a variant with and one without re-estimated batch norms share. */
    void reconstruction(Duration took) {
        reconstruction.record(took);
    }

    /**
     * What calibration adds to one checkpoint: the time its calibrated and reconstructed variants took, all together,
     * the calibration images' loading included.
     */
    void checkpointCalibration(Duration took) {
        checkpointCalibration.record(took);
    }

    /** A checkpoint whose variants could not be calibrated, by reason. */
    void calibrationSkipped(CalibrationSkip reason) {
        calibrationSkips(reason).increment();
    }

    private Counter calibrationSkips(CalibrationSkip reason) {
        return Counter.builder("pruner.calibration.skipped")
                .description("checkpoints whose calibrated or obs variants were skipped, by reason")
                .tag("reason", reason.code()).register(registry);
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
