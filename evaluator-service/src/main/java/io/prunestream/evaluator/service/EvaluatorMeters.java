package io.prunestream.evaluator.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.PruningMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The evaluator's meters. The accuracy gauges carry (run, method, recovery, sparsity) and always show the latest
 * checkpoint of the run; gauges of runs idle for longer than {@code evaluator.gauge-retention} are removed, so the
 * number of series stays bounded.
 */
@ApplicationScoped
public class EvaluatorMeters {

    private final MeterRegistry registry;
    private final Duration retention;
    private final Map<List<String>, AtomicReference<Double>> top1 = new HashMap<>();
    private final Map<List<String>, AtomicReference<Double>> drop = new HashMap<>();
    private final Map<String, Instant> lastSeen = new HashMap<>();
    private final Map<String, Double> denseTop1 = new HashMap<>();
    private final Map<String, Integer> latestEpoch = new HashMap<>();
    private final AtomicReference<Double> imagesPerSecond = new AtomicReference<>(Double.NaN);

    EvaluatorMeters(MeterRegistry registry, EvaluatorConfig config) {
        this.registry = registry;
        this.retention = config.gaugeRetention();
        Gauge.builder("evaluator.images.per.second", imagesPerSecond, AtomicReference::get)
                .description("throughput of the last evaluation").register(registry);
        for (FailureReason reason : FailureReason.values()) {
            registry.counter("evaluator.failures", "reason", reason.code());
        }
    }

    /** Marks the device evaluations run on (a gauge of 1 tagged with it). */
    public void device(String device) {
        Gauge.builder("evaluator.device", () -> 1).tag("device", device)
                .description("the device models are scored on").register(registry);
    }

    synchronized void evaluated(EvaluationEvent event) {
        String run = event.runId();
        lastSeen.put(run, Instant.now());
        registry.counter("evaluator.evaluations", "outcome", "success").increment();
        Timer.builder("evaluator.evaluation.duration").description("model loading and scoring")
                .publishPercentileHistogram().register(registry).record(Duration.ofMillis(event.durationMs()));
        imagesPerSecond.set(event.imagesPerSecond());
        int latest = latestEpoch.getOrDefault(run, -1);
        if (event.epoch() < latest) {
            return; // an older checkpoint: the gauges show the latest one
        }
        if (event.epoch() > latest) {
            latestEpoch.put(run, event.epoch());
            denseTop1.remove(run);
        }
        if (event.method() == PruningMethod.DENSE) {
            denseTop1.put(run, event.top1());
            refreshDrops(run);
        }
        List<String> key = List.of(run, event.method().wireName(), event.recoveryScope() == null ? "none"
                : event.recoveryScope().wireName(), String.format(Locale.ROOT, "%.2f", event.targetSparsity()));
        gauge(top1, key, "evaluator.top1", "latest top-1 accuracy").set(event.top1());
        Double dense = denseTop1.get(run);
        gauge(drop, key, "evaluator.top1.drop", "top-1 of dense minus top-1 of this variant, same checkpoint")
                .set(dense == null ? Double.NaN : dense - event.top1());
        forgetIdleRuns();
    }

    public void failed(FailureReason reason) {
        registry.counter("evaluator.failures", "reason", reason.code()).increment();
        registry.counter("evaluator.evaluations", "outcome", "failure").increment();
    }

    private void refreshDrops(String run) {
        double dense = denseTop1.get(run);
        top1.forEach((key, value) -> {
            if (key.get(0).equals(run) && drop.containsKey(key) && value.get() != null) {
                drop.get(key).set(dense - value.get());
            }
        });
    }

    private AtomicReference<Double> gauge(Map<List<String>, AtomicReference<Double>> gauges, List<String> key,
            String name, String description) {
        return gauges.computeIfAbsent(key, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, holder, AtomicReference::get).description(description)
                    .tags(Tags.of("run", k.get(0), "method", k.get(1), "recovery", k.get(2), "sparsity", k.get(3)))
                    .register(registry);
            return holder;
        });
    }

    private void forgetIdleRuns() {
        Instant cutoff = Instant.now().minus(retention);
        List<String> idle = lastSeen.entrySet().stream().filter(e -> e.getValue().isBefore(cutoff))
                .map(Map.Entry::getKey).toList();
        for (String run : idle) {
            lastSeen.remove(run);
            denseTop1.remove(run);
            latestEpoch.remove(run);
            top1.keySet().removeIf(key -> key.get(0).equals(run));
            drop.keySet().removeIf(key -> key.get(0).equals(run));
            for (Meter meter : registry.find("evaluator.top1").tag("run", run).meters()) {
                registry.remove(meter);
            }
            for (Meter meter : registry.find("evaluator.top1.drop").tag("run", run).meters()) {
                registry.remove(meter);
            }
        }
    }
}
