package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.atLeast;
import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** A call's captioning ended; the counts are of the caption events created for the call. */
@JsonPropertyOrder({
    "schemaVersion",
    "eventType",
    "eventId",
    "callId",
    "sequence",
    "timestamp",
    "reason",
    "durationMs",
    "partialCount",
    "finalCount",
    "errorCount"
})
public record CallEnded(
        int schemaVersion,
        EventType eventType,
        String eventId,
        String callId,
        long sequence,
        Instant timestamp,
        String reason,
        long durationMs,
        long partialCount,
        long finalCount,
        long errorCount)
        implements StreamEvent {
    public CallEnded {
        if (eventType != EventType.CALL_ENDED) {
            throw new IllegalArgumentException("eventType must be CALL_ENDED, got " + eventType);
        }
        nonBlank("eventId", eventId);
        nonBlank("callId", callId);
        nonNull("timestamp", timestamp);
        nonNull("reason", reason);
        atLeast("durationMs", durationMs, 0);
        atLeast("partialCount", partialCount, 0);
        atLeast("finalCount", finalCount, 0);
        atLeast("errorCount", errorCount, 0);
    }

    @Override
    public CallEnded withSequence(long newSequence) {
        return new CallEnded(
                schemaVersion,
                eventType,
                eventId,
                callId,
                newSequence,
                timestamp,
                reason,
                durationMs,
                partialCount,
                finalCount,
                errorCount);
    }
}
