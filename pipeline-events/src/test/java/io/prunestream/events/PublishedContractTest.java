package io.prunestream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What docs/ publishes and what the code reads and writes cannot drift apart. */
class PublishedContractTest {

    private static final Path DOCS = Path.of("..", "docs");
    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyExampleInTheEventsDocumentIsAValidEvent() throws Exception {
        List<String> examples = jsonBlocks(Files.readString(DOCS.resolve("events.md")));
        List<EventType> types = new ArrayList<>();

        for (String example : examples) {
            types.add(codec.decode(example.getBytes(StandardCharsets.UTF_8)).eventType());
        }

        assertThat(types).containsExactlyInAnyOrder(EventType.values());
    }

    /** Fields added to schema version 1 after producers existed: optional, so that those producers stay valid. */
    private static final Set<String> OPTIONAL = Set.of("network", "cost", "filters", "denseCost", "fineTuneEpochs",
            "latencyMs", "bottleneck", "gates", "preprocessing", "input", "calibration", "precision");
    /**
     * Fields optional in one event type only: an evaluation's modelUri and its uncertainty came later (and a dense
     * model is compared with nothing), a checkpoint's modelUri did not.
     */
    private static final Map<EventType, Set<String>> OPTIONAL_IN = Map.of(EventType.EVALUATION, Set.of("modelUri",
            "top1Interval", "dropVsDense", "disagreements", "stopping", "layers"));

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSchemaRequiresExactlyTheRecordsFields(EventType type) throws Exception {
        JsonNode schema = json.readTree(DOCS.resolve("schemas").resolve(type.wireName() + ".schema.json").toFile());
        Set<String> required = new HashSet<>();
        schema.get("required").forEach(field -> required.add(field.asText()));
        Set<String> properties = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);

        Set<String> components = new HashSet<>(Arrays.stream(type.recordClass().getRecordComponents())
                .map(c -> c.getName()).toList());
        Set<String> mandatory = new HashSet<>(components);
        mandatory.removeAll(OPTIONAL);
        mandatory.removeAll(OPTIONAL_IN.getOrDefault(type, Set.of()));
        assertThat(required).isEqualTo(mandatory);
        assertThat(properties).isEqualTo(components);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theClasspathCarriesThePublishedSchemaUnchanged(EventType type) throws Exception {
        byte[] published = Files.readAllBytes(DOCS.resolve("schemas").resolve(type.wireName() + ".schema.json"));
        try (var in = EventCodec.class.getResourceAsStream(type.schemaResource())) {
            assertThat(in).isNotNull();
            assertThat(in.readAllBytes()).isEqualTo(published);
        }
    }

    private static List<String> jsonBlocks(String markdown) {
        Matcher matcher = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
