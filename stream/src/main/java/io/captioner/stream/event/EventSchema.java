package io.captioner.stream.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Validates event JSON against the versioned JSON Schema in {@code schema/caption-event-v1.json}. */
public final class EventSchema {
    /** Class-path location of the schema (also in the repository under stream/src/main/resources). */
    public static final String RESOURCE = "/schema/caption-event-v1.json";

    private static final JsonSchema SCHEMA = load();

    private EventSchema() {}

    /** Returns the violations (JSON path and message each), empty when {@code json} is a valid event. */
    public static List<String> validate(String json) {
        JsonNode node;
        try {
            node = EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return List.of("$: not JSON: " + e.getOriginalMessage());
        }
        return SCHEMA.validate(node).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    public static List<String> validate(StreamEvent event) {
        return validate(EventJson.toJson(event));
    }

    private static JsonSchema load() {
        try (InputStream in = EventSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + RESOURCE + " is missing from the class path");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
