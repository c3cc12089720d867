package io.captioner.connector;

import java.time.Instant;
import java.util.List;

/**
 * A call the connector currently tracks, for the service's /api/calls.
 *
 * @param captioned true once the call was chosen for captioning
 * @param legs      its legs with their state: tapping, live, paused, failed or ended
 */
public record CallSnapshot(
        String callId,
        String callerNumber,
        String calleeNumber,
        Instant startedAt,
        boolean captioned,
        List<LegSnapshot> legs) {

    public CallSnapshot {
        legs = List.copyOf(legs);
    }

    public record LegSnapshot(String legId, String channel, LegRole role, int sampleRate, String state) {}
}
