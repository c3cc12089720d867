package io.captioner.stream.event;

import java.time.Instant;

/**
 * An event of a call, as published to Kafka (keyed by {@link #callId()}). JSON form: {@link EventJson};
 * schema: {@code schema/caption-event-v1.json} ({@link EventSchema}).
 *
 * <p>{@link #sequence()} numbers a call's events in publishing order, from 0. It is assigned by the
 * publisher when it accepts the event ({@link #UNASSIGNED} before that), so it is strictly increasing in
 * the order a consumer reads a call's events; a gap means partial captions were dropped under pressure.
 */
public sealed interface StreamEvent permits CallStarted, CaptionEvent, CallEnded, LegError {
    int SCHEMA_VERSION = 1;
    long UNASSIGNED = -1;

    int schemaVersion();

    EventType eventType();

    /** Deterministic: the same event always has the same id, so consumers can de-duplicate by it. */
    String eventId();

    String callId();

    long sequence();

    /** Wall-clock time the event was created. */
    Instant timestamp();

    StreamEvent withSequence(long sequence);

    /** Partial captions may be dropped under overload; every other event must be delivered. */
    default boolean droppable() {
        return eventType() == EventType.PARTIAL_CAPTION;
    }
}
