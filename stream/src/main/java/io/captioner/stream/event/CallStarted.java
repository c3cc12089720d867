package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/** A call began to be captioned. Numbers may be null when the telephony side does not know them. */
@JsonPropertyOrder({
    "schemaVersion",
    "eventType",
    "eventId",
    "callId",
    "sequence",
    "timestamp",
    "startTime",
    "callerNumber",
    "calledNumber",
    "legs"
})
public record CallStarted(
        int schemaVersion,
        EventType eventType,
        String eventId,
        String callId,
        long sequence,
        Instant timestamp,
        Instant startTime,
        String callerNumber,
        String calledNumber,
        List<LegInfo> legs)
        implements StreamEvent {
    public CallStarted {
        if (eventType != EventType.CALL_STARTED) {
            throw new IllegalArgumentException("eventType must be CALL_STARTED, got " + eventType);
        }
        nonBlank("eventId", eventId);
        nonBlank("callId", callId);
        nonNull("timestamp", timestamp);
        nonNull("startTime", startTime);
        legs = List.copyOf(nonNull("legs", legs));
    }

    @Override
    public CallStarted withSequence(long newSequence) {
        return new CallStarted(
                schemaVersion,
                eventType,
                eventId,
                callId,
                newSequence,
                timestamp,
                startTime,
                callerNumber,
                calledNumber,
                legs);
    }
}
