package io.captioner.asr.search;

/**
 * A word of a transcript with its time in the stream and its confidence.
 *
 * @param text the word (lower case)
 * @param startMs start, milliseconds from the start of the stream
 * @param endMs end, milliseconds from the start of the stream
 * @param confidence in [0, 1]: geometric mean of its tokens' CTC posteriors (see {@link Confidence})
 */
public record TimedWord(String text, long startMs, long endMs, double confidence) {}
