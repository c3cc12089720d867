package io.captioner.stream.event;

/** Who speaks on a leg. */
public enum Role {
    CALLER,
    AGENT,
    UNKNOWN
}
