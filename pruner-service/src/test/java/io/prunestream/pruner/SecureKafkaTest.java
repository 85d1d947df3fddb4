package io.prunestream.pruner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Topics;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.SecureKafkaTestResource;
import io.prunestream.store.ModelStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The pruner on a broker that takes only TLS + SASL/SCRAM-SHA-512 clients, configured with nothing but Kafka's
 * standard properties ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.truststore.*}).
 */
@QuarkusTest
@WithTestResource(SecureKafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class SecureKafkaTest {

    // Looked up when a test runs: injected, they would be required of every test application, secured or not.
    private static String setting(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    @Test
    void checkpointsFlowThroughTheSecuredBroker() throws Exception {
        String internal = setting(SecureKafkaTestResource.INTERNAL);
        Path model = new ModelStore(Path.of(setting("pruner.model-store")))
                .checkpointDir(TrainedModelResource.RUN, TrainedModelResource.CHECKPOINT);
        CheckpointEvent checkpoint = Checkpoints.event("secure-run", "secure-run-e001", model);
        KafkaTestClients.send(internal, Topics.CHECKPOINTS, checkpoint.runId(), Checkpoints.CODEC.encode(checkpoint));

        List<ConsumerRecord<String, byte[]>> variants = KafkaTestClients.read(internal, Topics.VARIANTS,
                r -> "secure-run".equals(r.key()), 8, Duration.ofSeconds(120));
        assertThat(variants).as("variants published through the SASL_SSL listener").hasSize(8);
    }

    @Test
    void aClientWithTheWrongPasswordIsRefused() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, setting("kafka.bootstrap.servers"));
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", setting("kafka.sasl.jaas.config").replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", setting("kafka.ssl.truststore.location"));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
