package io.prunestream.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Exit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker of every {@code @QuarkusTest}: Testcontainers' Kafka when a Docker engine answers, the embedded KRaft
 * broker otherwise. {@code -Dprunestream.test.kafka=embedded} or {@code =container} forces one. The pipeline's
 * topics are created before the application starts. Test classes that declare this resource alike share one
 * application start and one broker.
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODE_PROPERTY = "prunestream.test.kafka";
    /** The image Testcontainers runs: the Kafka version the Quarkus BOM manages. */
    public static final String IMAGE = "apache/kafka-native:4.1.1";

    private EmbeddedKafkaBroker embedded;
    private KafkaContainer container;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        String bootstrap = useContainer() ? startContainer() : startEmbedded();
        PipelineTopics.create(bootstrap, 2);
        return Map.of("kafka.bootstrap.servers", bootstrap, "quarkus.kafka.devservices.enabled", "false");
    }

    private static boolean useContainer() {
        String mode = System.getProperty(MODE_PROPERTY, "auto");
        return switch (mode) {
            case "container" -> true;
            case "embedded" -> false;
            case "auto" -> dockerMayAnswer() && DockerClientFactory.instance().isDockerAvailable();
            default -> throw new IllegalArgumentException(MODE_PROPERTY + " '" + mode
                    + "' is not one of auto, embedded, container");
        };
    }

    /**
     * Without DOCKER_HOST or one of the usual sockets there is nothing to ask, and Testcontainers would log an error
     * for its probe. An engine elsewhere can still be used with {@code -Dprunestream.test.kafka=container}.
     */
    private static boolean dockerMayAnswer() {
        String home = System.getProperty("user.home");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker/desktop/docker.sock"))
                || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
    }

    private String startContainer() {
        container = new KafkaContainer(IMAGE);
        container.start();
        return container.getBootstrapServers();
    }

    private String startEmbedded() {
        failInsteadOfExiting();
        try {
            dataDir = Files.createTempDirectory("embedded-kafka-");
            embedded = EmbeddedKafkaBroker.start(dataDir, 0);
            return embedded.bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
        if (embedded != null) {
            embedded.close();
            deleteQuietly(dataDir);
        }
    }

    /** A broker fault must fail the test run, not end the JVM that runs it. */
    static void failInsteadOfExiting() {
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to halt(" + status + "): " + message);
        });
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary folder is not worth failing a test run for.
        }
    }
}
