package io.prunestream.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads and writes events as JSON. Reading is strict about what matters and tolerant of the rest: the record must
 * be a JSON object of a known {@code schemaVersion} and the expected {@code eventType}, and it must validate against
 * the published JSON Schema; unknown extra fields are ignored so that producers may add fields. Thread-safe.
 */
public final class EventCodec {

    /** Events are small (a few KB); anything far larger is an accident or an attack. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final ObjectMapper mapper;
    private final EventSchemas schemas;
    private final int maxBytes;

    public EventCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    public EventCodec(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " is not positive");
        }
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .build();
        this.schemas = new EventSchemas(mapper);
    }

    public byte[] encode(PipelineEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // Records of plain values always serialise; reaching this is a programming error.
            throw new IllegalStateException("cannot serialise " + event, e);
        }
    }

    public String encodeToString(PipelineEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Reads one event of the given type. */
    public <T extends PipelineEvent> T decode(byte[] json, Class<T> type) throws InvalidEventException {
        EventType expected = EventType.of(type);
        JsonNode tree = parse(json);
        EventType actual = eventTypeOf(tree);
        if (actual != expected) {
            throw new InvalidEventException("eventType",
                    "expected '" + expected.wireName() + "' but was '" + actual.wireName() + "'");
        }
        return type.cast(bind(tree, actual));
    }

    /** Reads an event of any type, chosen by its {@code eventType}. */
    public PipelineEvent decode(byte[] json) throws InvalidEventException {
        JsonNode tree = parse(json);
        return bind(tree, eventTypeOf(tree));
    }

    public <T extends PipelineEvent> T decode(String json, Class<T> type) throws InvalidEventException {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
    }

    private JsonNode parse(byte[] json) throws InvalidEventException {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("$", "empty record (no JSON at all)");
        }
        if (json.length > maxBytes) {
            throw new InvalidEventException("$", "record of " + json.length + " bytes exceeds the limit of "
                    + maxBytes + " bytes");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new InvalidEventException("$", "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("$", "expected a JSON object but found "
                    + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        checkSchemaVersion(tree.get("schemaVersion"));
        return tree;
    }

    private static void checkSchemaVersion(JsonNode version) throws InvalidEventException {
        if (version == null || version.isNull()) {
            throw new InvalidEventException("schemaVersion", "is required");
        }
        if (!version.isIntegralNumber()) {
            throw new InvalidEventException("schemaVersion", "expected an integer but found " + version);
        }
        if (version.asLong() != PipelineEvent.SCHEMA_VERSION) {
            throw new InvalidEventException("schemaVersion", "unsupported value " + version
                    + " (this reader supports " + PipelineEvent.SCHEMA_VERSION + ")");
        }
    }

    private static EventType eventTypeOf(JsonNode tree) throws InvalidEventException {
        JsonNode type = tree.get("eventType");
        if (type == null || type.isNull()) {
            throw new InvalidEventException("eventType", "is required");
        }
        try {
            return EventType.fromWireName(type.isTextual() ? type.asText() : type.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("eventType", "unknown value " + type
                    + " (expected checkpoint, variant or evaluation)");
        }
    }

    private PipelineEvent bind(JsonNode tree, EventType type) throws InvalidEventException {
        List<String> problems = schemas.validate(type, tree);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(problems);
        }
        try {
            return mapper.treeToValue(tree, type.recordClass());
        } catch (ValueInstantiationException e) {
            // A record constructor refused a value the schema cannot express; its message names the field.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new InvalidEventException(List.of(cause.getMessage()));
        } catch (JsonMappingException e) {
            throw new InvalidEventException(fieldOf(e), firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("$", firstLine(e.getOriginalMessage()));
        }
    }

    private static String fieldOf(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.length() == 0 ? "$" : field.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
