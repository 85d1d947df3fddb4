package io.prunestream.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The published JSON Schemas ({@code docs/schemas}, copied onto the classpath by the build), used to validate every
 * event that is read. Problems come back as {@code field: message}, with the field as a dotted path.
 */
final class EventSchemas {

    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);

    EventSchemas(ObjectMapper mapper) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (EventType type : EventType.values()) {
            try (InputStream in = EventSchemas.class.getResourceAsStream(type.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("JSON Schema " + type.schemaResource()
                            + " is not on the classpath");
                }
                schemas.put(type, factory.getSchema(mapper.readTree(in), config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read JSON Schema " + type.schemaResource(), e);
            }
        }
    }

    List<String> validate(EventType type, JsonNode event) {
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schemas.get(type).validate(event)) {
            problems.add(describe(message));
        }
        problems.sort(null);
        return problems;
    }

    private static String describe(ValidationMessage message) {
        StringBuilder field = new StringBuilder();
        JsonNodePath location = message.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            appendElement(field, location.getElement(i));
        }
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            appendElement(field, message.getProperty());
            return field + ": is required";
        }
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        String detail = colon >= 0 ? text.substring(colon + 2) : text;
        return (field.length() == 0 ? "$" : field.toString()) + ": " + detail + valueOf(message.getInstanceNode());
    }

    /** The offending value, when it is a short scalar, so that the message names it. */
    private static String valueOf(JsonNode node) {
        if (node == null || node.isContainerNode()) {
            return "";
        }
        String value = node.toString();
        return " (value: " + (value.length() > 80 ? value.substring(0, 77) + "..." : value) + ")";
    }

    private static void appendElement(StringBuilder field, Object element) {
        if (element instanceof Integer index) {
            field.append('[').append(index).append(']');
        } else {
            field.append(field.length() == 0 ? "" : ".").append(element);
        }
    }
}
