package io.prunestream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.EventCodec;
import io.prunestream.events.PipelineEvent;
import io.prunestream.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type through a real broker, and what the local run relies on: topics and a restartable broker. */
class EmbeddedKafkaBrokerTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private final EventCodec codec = new EventCodec();

    @BeforeAll
    static void startBroker() throws Exception {
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka asked to exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka asked to halt(" + status + "): " + message);
        });
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        System.out.printf("embedded broker ready in %d ms%n", broker.startTime().toMillis());
        PipelineTopics.create(broker.bootstrapServers(), 3);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static List<PipelineEvent> events() {
        return SampleEvents.all();
    }

    @ParameterizedTest
    @MethodSource("events")
    void eachEventTypeRoundTripsThroughItsTopic(PipelineEvent event) throws Exception {
        String topic = event.eventType().topic();
        KafkaTestClients.send(broker.bootstrapServers(), topic, event.runId(), codec.encode(event));

        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.read(broker.bootstrapServers(), topic, 1,
                Duration.ofSeconds(30));

        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(event.runId());
        assertThat(codec.decode(records.get(0).value())).isEqualTo(event);
    }

    @Test
    void thePipelineTopicsExistWithTheirPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            var descriptions = admin.describeTopics(Topics.all()).allTopicNames().get();

            assertThat(descriptions).containsOnlyKeys(Topics.all());
            descriptions.values().forEach(d -> assertThat(d.partitions()).hasSize(3));
        }
        assertThat(PipelineTopics.create(broker.bootstrapServers(), 3)).as("a second call creates nothing").isEmpty();
    }

    @Test
    void theBrokerJarsMatchTheClientVersionOfTheQuarkusBom() {
        assertThat(System.getProperty("kafka.version")).isEqualTo(AppInfoParser.getVersion());
    }

    @Test
    void aBrokerRestartedOnItsDataFolderKeepsItsRecords(@TempDir Path ownDir) throws Exception {
        byte[] value = codec.encode(SampleEvents.all().get(0));
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(ownDir, 0)) {
            PipelineTopics.create(first.bootstrapServers(), 1);
            KafkaTestClients.send(first.bootstrapServers(), Topics.CHECKPOINTS, "run-42", value);
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(ownDir, 0)) {
            assertThat(PipelineTopics.create(second.bootstrapServers(), 1)).isEmpty();
            assertThat(KafkaTestClients.read(second.bootstrapServers(), Topics.CHECKPOINTS, 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly(value);
        }
    }
}
