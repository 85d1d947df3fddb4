package io.prunestream.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The broker of the local run, as its own process:
 * {@code java -cp ... io.prunestream.kafka.LocalKafka [--port 9092] [--data-dir out/kafka] [--partitions 4]}.
 * It prints one {@code ready} line once the topics exist and stops cleanly on SIGTERM or Ctrl-C. Started again on the
 * same data folder it keeps the topics and offsets.
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    record Options(int port, Path dataDir, int partitions) {

        static Options parse(List<String> args) {
            int port = 9092;
            Path dataDir = Path.of("out/kafka");
            int partitions = 4;
            for (int i = 0; i < args.size(); i++) {
                String name = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args.get(++i);
                switch (name) {
                    case "--port" -> port = integer(name, value, 0, 65_535);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--partitions" -> partitions = integer(name, value, 1, 1_000);
                    default -> throw new IllegalArgumentException("unknown option " + name
                            + " (known: --port, --data-dir, --partitions)");
                }
            }
            return new Options(port, dataDir, partitions);
        }

        private static int integer(String name, String value, int min, int max) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + value + "' is not a number", e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options.dataDir(), options.port());
        List<String> created = PipelineTopics.create(broker.bootstrapServers(), options.partitions());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "local-kafka-shutdown"));
        System.out.printf("local-kafka: ready on %s in %.1f s (data in %s; created topics %s)%n",
                broker.bootstrapServers(), broker.startTime().toMillis() / 1000.0, options.dataDir(), created);
        stopped.await();
    }
}
