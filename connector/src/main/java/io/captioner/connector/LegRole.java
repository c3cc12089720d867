package io.captioner.connector;

/** Who speaks on a tapped leg. */
public enum LegRole {
    CALLER,
    AGENT
}
