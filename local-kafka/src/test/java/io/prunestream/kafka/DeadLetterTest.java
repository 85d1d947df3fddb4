package io.prunestream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunestream.events.EventCodec;
import io.prunestream.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A malformed record goes to the dead-letter topic with its reason, and the consumer goes on with the next. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DeadLetterTest {

    @Inject
    CheckpointListener listener;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonAndTheConsumerGoesOn() throws Exception {
        byte[] malformed = "{\"eventType\": \"checkpoint\", ".getBytes(StandardCharsets.UTF_8);
        String missingDigest = codec.encodeToString(SampleEvents.checkpoint("run-7-e002"))
                .replaceFirst("\"modelDigest\":\"[^\"]*\",", "");
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "run-7", malformed);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "run-7", missingDigest.getBytes(StandardCharsets.UTF_8));
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "run-7", codec.encode(SampleEvents.checkpoint("run-7-e003")));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(listener.received()).extracting(e -> e.checkpointId()).containsExactly("run-7-e003"));

        List<ConsumerRecord<String, byte[]>> dead = KafkaTestClients.read(bootstrap, Topics.deadLetterTopic(Topics.CHECKPOINTS),
                2, Duration.ofSeconds(60));
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).as("the original bytes are kept").isEqualTo(malformed);
        assertThat(dead.get(0).key()).isEqualTo("run-7");
        assertThat(reason(dead.get(0))).startsWith("$: malformed JSON");
        assertThat(reason(dead.get(1))).isEqualTo("modelDigest: is required");
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER);
        assertThat(header).as("header %s on %s", Topics.DEAD_LETTER_REASON_HEADER, record).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
