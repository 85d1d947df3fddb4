package io.prunestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The vendored JSON Schemas of {@code src/test/resources/schemas}, ready to validate YAML trees. */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    static JsonSchema load(String resource, SpecVersion.VersionFlag version) {
        try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no schema resource " + resource);
            }
            JsonNode schema = JSON.readTree(in);
            dropDraft4Ids(schema);
            return JsonSchemaFactory.getInstance(version).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The compose schema labels its definitions with draft-4 {@code id}s ({@code "#/definitions/service"}) under a
     * 2019-09 {@code $schema}, where {@code id} is no keyword and the validator refuses it. Every reference in it is a
     * JSON pointer, so the labels can go without changing what the schema accepts.
     */
    private static void dropDraft4Ids(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode id = object.get("id");
            if (id != null && id.isTextual()) {
                object.remove("id");
            }
        }
        node.forEach(Schemas::dropDraft4Ids);
    }

    /** The schema's complaints about {@code document}, as readable lines; empty when it is valid. */
    static List<String> problems(JsonSchema schema, JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
