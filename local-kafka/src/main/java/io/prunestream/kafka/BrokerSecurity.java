package io.prunestream.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker listener with TLS and SASL/SCRAM-SHA-512, as a production cluster has it: a self-signed certificate for
 * {@code localhost} (made with the JDK's {@code keytool}) and one SCRAM user with a random password. The client
 * side is nothing but Kafka's standard properties ({@link #clientProperties()}), which is all a service needs.
 */
public record BrokerSecurity(String user, String password, Path keyStore, Path certificate, String storePassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String LISTENER = "SASL_SSL";

    /** A certificate and credentials in {@code dir}, good for a day. */
    public static BrokerSecurity generate(Path dir, String user) throws IOException {
        Files.createDirectories(dir);
        String storePassword = random();
        Path keyStore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        Files.deleteIfExists(keyStore);
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass",
                storePassword, "-file", certificate.toString());
        return new BrokerSecurity(user, random(), keyStore, certificate, storePassword);
    }

    /** What a client sets to reach this listener: Kafka's own keys, as in a service's {@code kafka.*} settings. */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", LISTENER);
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";");
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", certificate.toString());
        return properties;
    }

    /** The broker's side of the listener named {@value #LISTENER}. */
    Map<String, String> brokerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sasl.enabled.mechanisms", MECHANISM);
        properties.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put("ssl.keystore.type", "PKCS12");
        properties.put("ssl.keystore.location", keyStore.toString());
        properties.put("ssl.keystore.password", storePassword);
        properties.put("ssl.key.password", storePassword);
        return properties;
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool " + args[0], e);
        } finally {
            process.destroy();
        }
    }
}
