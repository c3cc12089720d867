package io.captioner.stream.redact;

import io.captioner.stream.event.Redaction;
import io.captioner.stream.event.Word;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A caption's words after redaction: each hidden span is one word {@code [LABEL]} with the span's times.
 *
 * @param words      what may leave the process
 * @param redactions the hidden spans, in order
 */
public record RedactedWords(List<Word> words, List<Redaction> redactions) {
    public RedactedWords {
        words = List.copyOf(words);
        redactions = List.copyOf(redactions);
    }

    public String text() {
        return words.stream().map(Word::word).collect(Collectors.joining(" "));
    }
}
