package io.captioner.connector.sim;

/** How fast a simulated AudioSocket peer sends its 20 ms frames. */
public enum Pacing {
    /** One frame every 20 ms, as Asterisk does. */
    REAL_TIME,
    /** Frames back to back (still one write per frame). */
    AS_FAST_AS_POSSIBLE
}
