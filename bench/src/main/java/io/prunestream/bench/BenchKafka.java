package io.prunestream.bench;

import io.prunestream.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** How the benchmarks that drive a running evaluator talk to it: events in, evaluations out, its memory read. */
final class BenchKafka {

    private BenchKafka() {
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /**
     * A consumer of the evaluations published from now on, in a group of its own, returned once its partitions are
     * assigned (so that no evaluation of an event sent afterwards is missed).
     */
    static KafkaConsumer<String, String> evaluations(String bootstrap, String group) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(List.of(Topics.EVALUATIONS));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    /** The resident memory of process {@code pid}, in MB (Linux's {@code /proc/<pid>/status}). */
    static long rssMb(long pid) throws IOException {
        return statusMb(pid, "VmRSS");
    }

    /** The most resident memory this process has had, in MB. */
    static long peakRssMb() throws IOException {
        return statusMb(ProcessHandle.current().pid(), "VmHWM");
    }

    /** The most resident memory process {@code pid} has had, in MB. */
    static long peakRssMb(long pid) throws IOException {
        return statusMb(pid, "VmHWM");
    }

    private static long statusMb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IllegalStateException("no " + field + " for process " + pid);
    }
}
