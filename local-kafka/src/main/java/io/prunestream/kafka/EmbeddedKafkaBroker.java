package io.prunestream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker (broker and controller in one) in this JVM: the same code path as
 * {@code kafka-storage.sh format --standalone} followed by {@code kafka-server-start.sh}. A data folder that is
 * already formatted is reused, so a broker restarted on the same folder keeps its topics and offsets.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** Fixed so that a restarted broker recognises its own data folder. */
    static final String CLUSTER_ID = "prunestream-local-kafka0";

    private final KafkaRaftServer server;
    private final int port;
    private final int internalPort;
    private final Duration startTime;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, int internalPort, Duration startTime) {
        this.server = server;
        this.port = port;
        this.internalPort = internalPort;
        this.startTime = startTime;
    }

    /**
     * Formats {@code dataDir} if needed and starts a broker on {@code port} (0 picks a free one) with its
     * controller on another free port.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, null);
    }

    /**
     * As {@link #start(Path, int)}, but clients connect with TLS and SASL/SCRAM ({@code security}); the broker
     * talks to itself, and the test harness creates topics and the SCRAM user, on a plain listener of its own
     * ({@link #internalBootstrapServers()}).
     */
    public static EmbeddedKafkaBroker startSecured(Path dataDir, int port, BrokerSecurity security)
            throws IOException {
        EmbeddedKafkaBroker broker = start(dataDir, port, security);
        ScramUsers.create(broker.internalBootstrapServers(), security);
        return broker;
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, BrokerSecurity security) throws IOException {
        long began = System.nanoTime();
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        int internalPort = security == null ? brokerPort : freePort();
        Files.createDirectories(dataDir);
        Path logDir = dataDir.resolve("log");
        Properties properties = properties(logDir, brokerPort, controllerPort);
        if (security != null) {
            secure(properties, brokerPort, internalPort, controllerPort, security);
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(dataDir, properties);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafkaBroker(server, brokerPort, internalPort,
                Duration.ofNanos(System.nanoTime() - began));
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The plain listener the broker uses for itself; the same as {@link #bootstrapServers()} unless secured. */
    public String internalBootstrapServers() {
        return "localhost:" + internalPort;
    }

    public int port() {
        return port;
    }

    /** From the call of {@link #start} until the broker accepted its listeners. */
    public Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // One node: every internal topic has one replica; small partition counts keep start-up fast on 2 cores.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        return p;
    }

    private static void secure(Properties p, int brokerPort, int internalPort, int controllerPort,
            BrokerSecurity security) {
        String listener = BrokerSecurity.LISTENER;
        p.setProperty("listeners", listener + "://localhost:" + brokerPort + ",INTERNAL://localhost:" + internalPort
                + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", listener + "://localhost:" + brokerPort
                + ",INTERNAL://localhost:" + internalPort);
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("listener.security.protocol.map", listener + ":" + listener
                + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        security.brokerProperties().forEach(p::setProperty);
    }

    private static void format(Path dataDir, Properties properties) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            properties.store(out, "written by EmbeddedKafkaBroker for kafka-storage format");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "--config", config.toString(), "--cluster-id",
                CLUSTER_ID, "--standalone", "--ignore-formatted"}, print);
        }
        if (status != 0) {
            throw new IOException("kafka-storage format of " + dataDir + " failed (" + status + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on this machine", e);
        }
    }
}
