package io.prunestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's files as the checks read them: the root found from the module folder, YAML documents as trees. */
final class Repository {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path ROOT = findRoot();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** Every YAML document in {@code file} (a {@code ---} separated stream), empty documents left out. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(file.toFile())) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && !(document instanceof MissingNode) && !document.isNull()
                        && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT.relativize(file) + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** The files under {@code folder} whose names end with one of {@code suffixes}, sorted. */
    static List<Path> files(Path folder, String... suffixes) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (docker-compose.yml) above " + Path.of("").toAbsolutePath());
    }
}
