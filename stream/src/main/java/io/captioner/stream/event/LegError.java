package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.atLeast;
import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A leg's captions ended abnormally. {@code code} is a stable machine-readable reason (see the constants),
 * {@code message} a human-readable one; {@code atMs} is from the start of the call.
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
    "code",
    "message",
    "atMs"
})
public record LegError(
        int schemaVersion,
        EventType eventType,
        String eventId,
        String callId,
        long sequence,
        Instant timestamp,
        String legId,
        Role role,
        String code,
        String message,
        long atMs)
        implements StreamEvent {
    public static final String TAP_FAILED = "TAP_FAILED";
    public static final String STREAM_BROKEN = "STREAM_BROKEN";
    public static final String DECODER_FAILED = "DECODER_FAILED";
    /** The service was at its limit of concurrently captioned legs and did not caption this one. */
    public static final String OVERLOAD_REFUSED = "OVERLOAD_REFUSED";

    public LegError {
        if (eventType != EventType.LEG_ERROR) {
            throw new IllegalArgumentException("eventType must be LEG_ERROR, got " + eventType);
        }
        nonBlank("eventId", eventId);
        nonBlank("callId", callId);
        nonNull("timestamp", timestamp);
        nonBlank("legId", legId);
        nonNull("role", role);
        nonBlank("code", code);
        nonNull("message", message);
        atLeast("atMs", atMs, 0);
    }

    @Override
    public LegError withSequence(long newSequence) {
        return new LegError(
                schemaVersion, eventType, eventId, callId, newSequence, timestamp, legId, role, code, message, atMs);
    }
}
