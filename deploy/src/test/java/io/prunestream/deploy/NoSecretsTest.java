package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No credential in the repository: deployments read theirs from the {@code prunestream-secrets} secret and tests make
 * theirs per run, so a private key, a JAAS configuration with a literal password or a set API key here is a leak.
 */
class NoSecretsTest {

    private static final Set<String> SKIPPED = Set.of(".git", "target", "out", "data", "node_modules", ".idea");
    private static final Set<String> TEXT = Set.of(".java", ".properties", ".yml", ".yaml", ".json", ".md", ".sh",
            ".py", ".xml", ".txt", ".conf", ".env", ".jvm", ".toml", ".cfg", ".ini");
    private static final Map<String, Pattern> LEAKS = Map.of(
            "a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            "a JAAS configuration with a literal password",
            Pattern.compile("LoginModule\\s+required[^;\\n]*password=\"(?!\\.\\.\\.\")[^\"$\\\\]+\""),
            "a set API key or Kafka store password",
            Pattern.compile("(PRUNESTREAM_API_AUTH_KEYS|prunestream\\.api-auth\\.keys|KAFKA_SSL_\\w*PASSWORD"
                    + "|ssl\\.\\w+\\.password)\\s*[=:]\\s*[\"']?[\\w-]{8,}"));

    @Test
    void noTrackedFileHoldsACredential() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : textFiles()) {
            found.addAll(leaks(Repository.ROOT.relativize(file).toString(),
                    Files.readString(file, StandardCharsets.UTF_8)));
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theCheckFindsEachKindOfLeak() {
        String key = "-----BEGIN " + "RSA PRIVATE KEY-----";
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password"
                + "=\"hunter2hunter2\";";
        String apiKey = "PRUNESTREAM_API_AUTH" + "_KEYS=0123456789abcdef0123";
        assertThat(leaks("f", key)).containsExactly("f:1: a private key");
        assertThat(leaks("f", "x\n" + jaas)).containsExactly("f:2: a JAAS configuration with a literal password");
        assertThat(leaks("f", apiKey)).containsExactly("f:1: a set API key or Kafka store password");
        assertThat(leaks("f", "KAFKA_SASL_JAAS_CONFIG=\"$(kubectl get secret ...)\" password=\"...\";")).isEmpty();
    }

    private static List<String> leaks(String name, String text) {
        List<String> found = new ArrayList<>();
        LEAKS.forEach((what, pattern) -> {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                int line = (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
                found.add(name + ":" + line + ": " + what);
            }
        });
        return found;
    }

    private static List<Path> textFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> top = Files.list(Repository.ROOT)) {
            for (Path path : top.sorted().toList()) {
                collect(path, files);
            }
        }
        return files;
    }

    private static void collect(Path path, List<Path> files) throws IOException {
        String name = path.getFileName().toString();
        if (Files.isSymbolicLink(path) || SKIPPED.contains(name)) {
            return;
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.sorted().toList()) {
                    collect(child, files);
                }
            }
        } else if (TEXT.stream().anyMatch(name::endsWith) || name.startsWith("Dockerfile")) {
            files.add(path);
        }
    }
}
