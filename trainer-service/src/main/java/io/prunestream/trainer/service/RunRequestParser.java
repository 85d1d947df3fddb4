package io.prunestream.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run request from JSON (an HTTP body or the boot-run file). Unknown fields are errors, since a typo would
 * otherwise silently train with a default; every error names the full path of the field.
 */
@ApplicationScoped
public class RunRequestParser {

    private final ObjectReader reader;

    RunRequestParser(ObjectMapper json) {
        this.reader = json.readerFor(RunRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public RunRequest parse(String body) throws InvalidRunRequestException {
        if (body == null || body.isBlank()) {
            return new RunRequest(null, null, null);
        }
        try {
            RunRequest request = reader.readValue(body);
            return request == null ? new RunRequest(null, null, null) : request;
        } catch (JsonProcessingException e) {
            throw new InvalidRunRequestException(describe(e));
        }
    }

    static String describe(JsonProcessingException e) {
        List<String> path = new ArrayList<>();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            // A spec record's message starts with its own path (optimizer.learningRate: ..., method.tpp.ratio: ...):
            // drop the longest tail of the JSON path that it repeats.
            String message = e.getCause().getMessage();
            for (int from = 0; from < path.size(); from++) {
                if (message.startsWith(String.join(".", path.subList(from, path.size())) + ".")) {
                    path = new ArrayList<>(path.subList(0, from));
                    break;
                }
            }
            return join(path, ".") + message;
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return join(path, "") + ": unknown field (known: " + unknown.getKnownPropertyIds() + ")";
        }
        String original = e.getOriginalMessage();
        int end = original.indexOf('\n');
        String detail = end < 0 ? original : original.substring(0, end);
        return (path.isEmpty() ? "body" : join(path, "")) + ": " + detail;
    }

    private static String join(List<String> path, String suffix) {
        return path.isEmpty() ? "" : String.join(".", path).replace(".[", "[") + suffix;
    }
}
