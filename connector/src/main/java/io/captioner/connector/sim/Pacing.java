package io.captioner.connector.sim;

/** How fast a simulated AudioSocket peer sends its 20 ms frames. */
public enum Pacing {
    /** One frame every 20 ms, as Asterisk does. */
    REAL_TIME(1),
    /**
     * Twenty frames every 20 ms: more audio than a few legs can be decoded on a small machine, yet
     * slow enough that a few seconds of backlog span more than a few hundred milliseconds of waiting.
     */
    TWENTY_TIMES_REAL_TIME(20);

    private final int speedUp;

    Pacing(int speedUp) {
        this.speedUp = speedUp;
    }

    /** When frame {@code index} is due, in nanoseconds after the first. */
    long dueNanos(long index) {
        return index * 20_000_000L / speedUp;
    }
}
