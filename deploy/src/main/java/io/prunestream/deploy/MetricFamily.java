package io.prunestream.deploy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who exposes a metric, by name prefix: each service's own meters, and the shared families that Quarkus' Micrometer
 * binders add to the services that use them. The dashboards may only use names of a family listed here, and each
 * service's tests check that it exposes every name of the families it owns.
 */
public enum MetricFamily {
    TRAINER("trainer_", Set.of("trainer")),
    PRUNER("pruner_", Set.of("pruner")),
    EVALUATOR("evaluator_", Set.of("evaluator")),
    /**
     * Consumer client metrics: only the services that consume (the trainer only produces). Micrometer registers the
     * per-partition ones only on its next scan (every minute), so dashboards use the per-client ones.
     */
    KAFKA_CONSUMER("kafka_consumer_", Set.of("pruner", "evaluator")),
    JVM("jvm_", Set.of("trainer", "pruner", "evaluator")),
    PROCESS("process_", Set.of("trainer", "pruner", "evaluator"));

    private final String prefix;
    private final Set<String> services;

    MetricFamily(String prefix, Set<String> services) {
        this.prefix = prefix;
        this.services = services;
    }

    /** The family of {@code metric}, if it is one the services expose. */
    public static Optional<MetricFamily> of(String metric) {
        return List.of(values()).stream().filter(f -> metric.startsWith(f.prefix)).findFirst();
    }

    /** Whether {@code service} ({@code trainer}, {@code pruner} or {@code evaluator}) exposes this family. */
    public boolean exposedBy(String service) {
        return services.contains(service.toLowerCase(Locale.ROOT));
    }
}
