package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.atLeast;
import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;
import static io.captioner.stream.event.Checks.span;
import static io.captioner.stream.event.Checks.unitInterval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A partial or final caption of one utterance ({@code segmentId}) on one leg. All partials and the final of
 * an utterance share the segment id; {@code revision} counts them (0, 1, ...), the final having the last one.
 * {@code startMs}/{@code endMs} are from the start of the call, {@code startTime} is the wall-clock time of
 * {@code startMs}. {@code stablePrefixLength} is the number of leading characters of {@code text} that
 * later revisions will not change (the whole text for a final). {@code redactions} are the spans hidden from
 * {@code text} and {@code words} (each is one word {@code [LABEL]} there); nothing of what they said is in the event.
 */
@JsonPropertyOrder({
    "schemaVersion",
    "eventType",
    "eventId",
    "callId",
    "sequence",
    "timestamp",
    "legId",
    "role",
    "segmentId",
    "revision",
    "isPartial",
    "startMs",
    "endMs",
    "startTime",
    "text",
    "words",
    "redactions",
    "confidence",
    "stablePrefixLength",
    "model"
})
public record CaptionEvent(
        int schemaVersion,
        EventType eventType,
        String eventId,
        String callId,
        long sequence,
        Instant timestamp,
        String legId,
        Role role,
        String segmentId,
        int revision,
        @JsonProperty("isPartial") boolean partial,
        long startMs,
        long endMs,
        Instant startTime,
        String text,
        List<Word> words,
        List<Redaction> redactions,
        double confidence,
        int stablePrefixLength,
        ModelInfo model)
        implements StreamEvent {
    public CaptionEvent {
        EventType expected = partial ? EventType.PARTIAL_CAPTION : EventType.FINAL_CAPTION;
        if (eventType != expected) {
            throw new IllegalArgumentException("eventType " + eventType + " contradicts isPartial=" + partial);
        }
        nonBlank("eventId", eventId);
        nonBlank("callId", callId);
        nonNull("timestamp", timestamp);
        nonBlank("legId", legId);
        nonNull("role", role);
        nonBlank("segmentId", segmentId);
        atLeast("revision", revision, 0);
        span("caption " + eventId, startMs, endMs);
        nonNull("startTime", startTime);
        nonNull("text", text);
        words = List.copyOf(nonNull("words", words));
        redactions = redactions == null ? List.of() : List.copyOf(redactions); // absent in events of earlier versions
        unitInterval("confidence", confidence);
        if (stablePrefixLength < 0 || stablePrefixLength > text.length()) {
            throw new IllegalArgumentException("stablePrefixLength must be within [0, " + text.length()
                    + "] (text length), got " + stablePrefixLength);
        }
        nonNull("model", model);
    }

    @Override
    public CaptionEvent withSequence(long newSequence) {
        return new CaptionEvent(
                schemaVersion,
                eventType,
                eventId,
                callId,
                newSequence,
                timestamp,
                legId,
                role,
                segmentId,
                revision,
                partial,
                startMs,
                endMs,
                startTime,
                text,
                words,
                redactions,
                confidence,
                stablePrefixLength,
                model);
    }
}
