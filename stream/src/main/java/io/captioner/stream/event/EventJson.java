package io.captioner.stream.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Events to and from their JSON form (UTF-8 text, one object, ISO-8601 UTC times). */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private EventJson() {}

    public static String toJson(StreamEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + event.eventId(), e);
        }
    }

    /**
     * Parses an event; unknown fields are ignored so that consumers keep working when later schema versions
     * add some. Throws {@link IllegalArgumentException} naming what is wrong.
     */
    public static StreamEvent fromJson(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        JsonNode type = node.get("eventType");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException("missing eventType");
        }
        Class<? extends StreamEvent> target = switch (type.asText()) {
            case "CALL_STARTED" -> CallStarted.class;
            case "PARTIAL_CAPTION", "FINAL_CAPTION" -> CaptionEvent.class;
            case "CALL_ENDED" -> CallEnded.class;
            case "LEG_ERROR" -> LegError.class;
            default -> throw new IllegalArgumentException("unknown eventType '" + type.asText() + "'");
        };
        try {
            return MAPPER.treeToValue(node, target);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(
                    "invalid " + type.asText() + " event: "
                            + (cause == e ? e.getOriginalMessage() : cause.getMessage()),
                    e);
        }
    }

    /** The shared mapper (configured for events); do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException | NullPointerException e) {
                throw context.weirdStringException(text, Instant.class, "expected an ISO-8601 UTC instant");
            }
        }
    }
}
