package io.prunestream.evaluator;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.PipelineEvent;
import io.prunestream.events.Topics;
import io.prunestream.kafka.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the evaluator's tests send it through the real broker, and what they read back, by run. Called from a
 * {@code @QuarkusTest}, whose configuration names the broker.
 */
final class PipelineTopics {

    private static final EventCodec CODEC = new EventCodec();
    private static final Duration WAIT = Duration.ofSeconds(180);

    private PipelineTopics() {
    }

    /** The broker of the application under test (its test resource's). */
    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A checkpoint event to {@code checkpoints}, a variant event to {@code variants}, keyed by its run. */
    static void send(PipelineEvent event) throws Exception {
        KafkaTestClients.send(bootstrap(), event instanceof CheckpointEvent ? Topics.CHECKPOINTS : Topics.VARIANTS,
                event.runId(), CODEC.encode(event));
    }

    static List<EvaluationEvent> evaluations(String run, int count) throws Exception {
        List<EvaluationEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap(), Topics.EVALUATIONS,
                r -> run.equals(r.key()), count, WAIT)) {
            events.add(CODEC.decode(record.value(), EvaluationEvent.class));
        }
        return events;
    }

    /** The reasons of the checkpoint records of {@code run} that were dead-lettered, in order. */
    static List<String> deadLetters(String run, int count) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap(),
                Topics.deadLetterTopic(Topics.CHECKPOINTS), r -> run.equals(r.key()), count, WAIT)) {
            reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
        return reasons;
    }
}
