package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;

/** One tapped leg of a call; {@code channel} is the telephony channel name, if known (may be null). */
public record LegInfo(String legId, Role role, String channel) {
    public LegInfo {
        nonBlank("legId", legId);
        nonNull("role", role);
    }
}
