package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonNull;
import static io.captioner.stream.event.Checks.span;
import static io.captioner.stream.event.Checks.unitInterval;

/** A recognised word with its times in ms from the start of the call. */
public record Word(String word, long startMs, long endMs, double confidence) {
    public Word {
        nonNull("word", word);
        span("word '" + word + "'", startMs, endMs);
        unitInterval("word '" + word + "' confidence", confidence);
    }
}
