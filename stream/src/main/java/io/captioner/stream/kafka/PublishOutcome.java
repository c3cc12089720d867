package io.captioner.stream.kafka;

/** What {@link CaptionPublisher#publish} did with an event. */
public enum PublishOutcome {
    /** Buffered for delivery (delivery itself is reported by the counters). */
    ACCEPTED,
    /** A partial caption dropped because the buffer was full (counted). */
    DROPPED_PARTIAL,
    /**
     * A non-droppable event that found the buffer full of non-droppable events for longer than
     * {@code fullBufferWait}, or larger than the whole buffer: counted, logged as an error and written to the
     * spill file if one is configured.
     */
    REJECTED
}
