package io.captioner.service.cluster;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time a tapper recorded the audio record being handled (its Kafka timestamp), so that a recognizer that
 * captions a call again after another one dropped it dates and names its events as the first one did.
 */
public final class RecordClock extends Clock {
    private volatile Instant now = Instant.EPOCH;

    /** The time of the record now being handled. */
    void set(Instant recorded) {
        now = recorded;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a record clock is always UTC");
    }
}
