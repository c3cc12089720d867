package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.span;

/** A span of a caption that was hidden: what it was ({@code label}, e.g. CARD) and when it was said. */
public record Redaction(String label, long startMs, long endMs) {
    public Redaction {
        nonBlank("redaction label", label);
        span("redaction " + label, startMs, endMs);
    }
}
