package io.captioner.stream.event;

/** Argument checks whose messages name the offending field. */
final class Checks {
    private Checks() {}

    static <T> T nonNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String nonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    field + " must not be blank (got " + (value == null ? "null" : "'" + value + "'") + ")");
        }
        return value;
    }

    static void span(String what, long startMs, long endMs) {
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException(
                    what + ": need 0 <= startMs <= endMs, got startMs=" + startMs + " endMs=" + endMs);
        }
    }

    static void unitInterval(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(field + " must be within [0, 1], got " + value);
        }
    }

    static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }
}
