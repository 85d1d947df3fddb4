package io.prunestream.evaluator.service;

import io.prunestream.events.FailureReason;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.ThresholdScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The evaluator's meters. The per-model gauges (accuracy, its drop, and what the model costs: parameters,
 * multiply-adds, bytes, single-image latency) carry (run, method, recovery, sparsity, finetune), the method with
 * {@code +bn} when the variant was calibrated ({@link #methodTag}), and always show the
 * latest checkpoint of the run; gauges of runs idle for longer than {@code evaluator.gauge-retention} are removed, so
 * the number of series stays bounded.
 */
@ApplicationScoped
public class EvaluatorMeters {

    private final MeterRegistry registry;
    private final Duration retention;
    /** The per-model gauges, by name, then by tags. */
    private final Map<String, Map<List<String>, AtomicReference<Double>>> models = new HashMap<>();
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
        registry.counter("evaluator.images.scored").increment(event.samples());
        if (event.stopping() != null) {
            registry.counter("evaluator.early.stops", "reason", event.stopping().reason().wireName()).increment();
        }
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
        List<String> key = List.of(run, methodTag(event), event.recoveryScope() == null ? "none"
                : event.recoveryScope().wireName(), String.format(Locale.ROOT, "%.2f", event.targetSparsity()),
                Integer.toString(event.fineTuneEpochs() == null ? 0 : event.fineTuneEpochs()));
        gauge(TOP1, key).set(event.top1());
        Double dense = denseTop1.get(run);
        // Paired on the same images where the event has the comparison: a variant scored on part of the split has a
        // top-1 of that part, which the dense model's top-1 on the whole split would not be a fair match for.
        gauge(DROP, key).set(event.dropVsDense() != null ? event.dropVsDense().estimate()
                : dense == null ? Double.NaN : dense - event.top1());
        // The bands of the top-1 and drop panels: each score's interval, NaN where the event has none.
        gauge(TOP1_LOW, key).set(event.top1Interval() == null ? Double.NaN : event.top1Interval().low());
        gauge(TOP1_HIGH, key).set(event.top1Interval() == null ? Double.NaN : event.top1Interval().high());
        gauge(DROP_LOW, key).set(event.dropVsDense() == null ? Double.NaN : event.dropVsDense().low());
        gauge(DROP_HIGH, key).set(event.dropVsDense() == null ? Double.NaN : event.dropVsDense().high());
        ModelCost cost = event.cost();
        gauge(PARAMETERS, key).set(cost == null ? Double.NaN : cost.parameters());
        gauge(MULTIPLY_ADDS, key).set(cost == null ? Double.NaN : cost.multiplyAdds());
        gauge(BYTES, key).set(cost == null ? Double.NaN : cost.fileBytes());
        gauge(LATENCY, key).set(event.latencyMs() == null ? Double.NaN : event.latencyMs() / 1000);
        forgetIdleRuns();
    }

    /**
     * The method, with {@code /global} when one threshold over all kernels allocated the sparsity and {@code +bn}
     * for a variant whose batch norms were re-estimated: each is a curve of its own beside the others, in every panel
     * that groups by method.
     */
    static String methodTag(EvaluationEvent event) {
        return event.method().wireName() + (event.thresholdScope() == ThresholdScope.GLOBAL ? "/global" : "")
                + (event.calibration() == null ? "" : "+" + event.calibration().method());
    }

    public void failed(FailureReason reason) {
        registry.counter("evaluator.failures", "reason", reason.code()).increment();
        registry.counter("evaluator.evaluations", "outcome", "failure").increment();
    }

    private void refreshDrops(String run) {
        double dense = denseTop1.get(run);
        Map<List<String>, AtomicReference<Double>> drops = models.getOrDefault(DROP.name(), Map.of());
        Map<List<String>, AtomicReference<Double>> paired = models.getOrDefault(DROP_LOW.name(), Map.of());
        models.getOrDefault(TOP1.name(), Map.of()).forEach((key, value) -> {
            boolean isPaired = paired.containsKey(key) && !paired.get(key).get().isNaN();
            if (key.get(0).equals(run) && drops.containsKey(key) && value.get() != null && !isPaired) {
                drops.get(key).set(dense - value.get());
            }
        });
    }

    /** A per-model gauge: its name, description and base unit (null for none). */
    private record ModelGauge(String name, String description, String unit) {
    }

    private static final ModelGauge TOP1 = new ModelGauge("evaluator.top1", "latest top-1 accuracy", null);
    private static final ModelGauge DROP = new ModelGauge("evaluator.top1.drop",
            "top-1 of dense minus top-1 of this variant, same checkpoint", null);
    private static final ModelGauge PARAMETERS = new ModelGauge("evaluator.model.parameters",
            "parameters of the model (NaN when its network is not known)", null);
    private static final ModelGauge MULTIPLY_ADDS = new ModelGauge("evaluator.model.multiply.adds",
            "multiply-adds of the model for one image (NaN when its network is not known)", null);
    private static final ModelGauge BYTES = new ModelGauge("evaluator.model.size", "bytes of the model's SavedModel"
            + " (NaN when its network is not known)", "bytes");
    private static final ModelGauge LATENCY = new ModelGauge("evaluator.single.image.latency",
            "median time of one single-image call", "seconds");
    private static final ModelGauge TOP1_LOW = new ModelGauge("evaluator.top1.low",
            "lower end of the top-1's 95% interval (Wilson; for a variant scored sequentially, a confidence"
            + " sequence's)", null);
    private static final ModelGauge TOP1_HIGH = new ModelGauge("evaluator.top1.high",
            "upper end of the top-1's 95% interval (Wilson; for a variant scored sequentially, a confidence"
            + " sequence's)", null);
    private static final ModelGauge DROP_LOW = new ModelGauge("evaluator.top1.drop.low",
            "lower end of the drop's 95% interval, paired with dense on the same images (Newcombe, or a"
            + " confidence sequence)", null);
    private static final ModelGauge DROP_HIGH = new ModelGauge("evaluator.top1.drop.high",
            "upper end of the drop's 95% interval, paired with dense on the same images (Newcombe, or a"
            + " confidence sequence)", null);
    private static final List<ModelGauge> MODEL_GAUGES = List.of(TOP1, DROP, PARAMETERS, MULTIPLY_ADDS, BYTES,
            LATENCY, TOP1_LOW, TOP1_HIGH, DROP_LOW, DROP_HIGH);

    private AtomicReference<Double> gauge(ModelGauge gauge, List<String> key) {
        return models.computeIfAbsent(gauge.name(), n -> new HashMap<>()).computeIfAbsent(key, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(gauge.name(), holder, AtomicReference::get).description(gauge.description())
                    .baseUnit(gauge.unit())
                    .tags(Tags.of("run", k.get(0), "method", k.get(1), "recovery", k.get(2), "sparsity", k.get(3),
                            "finetune", k.get(4)))
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
            for (ModelGauge gauge : MODEL_GAUGES) {
                models.getOrDefault(gauge.name(), new HashMap<>()).keySet().removeIf(key -> key.get(0).equals(run));
                for (Meter meter : registry.find(gauge.name()).tag("run", run).meters()) {
                    registry.remove(meter);
                }
            }
        }
    }
}
