package io.prunestream.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A broker whose clients must use TLS and SASL/SCRAM-SHA-512, for a {@code @QuarkusTest} that proves a service
 * works with nothing but Kafka's standard security properties: the application gets {@code kafka.security.protocol},
 * {@code kafka.sasl.*} and {@code kafka.ssl.truststore.*}, as an operator would set them
 * ({@code KAFKA_SASL_JAAS_CONFIG} and so on). The test itself reaches the broker on its plain internal listener,
 * given as {@value #INTERNAL}.
 */
public final class SecureKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The broker's own plain listener, for the test's clients. */
    public static final String INTERNAL = "prunestream.test.kafka.internal";

    private EmbeddedKafkaBroker broker;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        KafkaTestResource.failInsteadOfExiting();
        try {
            dataDir = Files.createTempDirectory("secure-kafka-");
            BrokerSecurity security = BrokerSecurity.generate(dataDir.resolve("tls"), "pipeline");
            broker = EmbeddedKafkaBroker.startSecured(dataDir.resolve("broker"), 0, security);
            PipelineTopics.create(broker.internalBootstrapServers(), 2);
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("quarkus.kafka.devservices.enabled", "false");
            security.clientProperties().forEach((key, value) -> config.put("kafka." + key, value));
            config.put(INTERNAL, broker.internalBootstrapServers());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the secured embedded Kafka broker", e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        KafkaTestResource.deleteQuietly(dataDir);
    }
}
