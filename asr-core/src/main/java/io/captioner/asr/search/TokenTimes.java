package io.captioner.asr.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Token and word timestamps by WeNet's rule. A token recorded at CTC frame {@code t} starts at
 * {@code max(t·shift − 100, 0)} ms, or, when the previous token's frame is less than 100 ms
 * before, at their midpoint; it ends at {@code t·shift} ms, or at the midpoint with the next token
 * when that one is less than 100 ms after. Midpoints are taken in whole frames, as WeNet's integer
 * arithmetic does. A word spans from its first token's start to its last token's end. All times
 * are shifted by the utterance's offset in the stream.
 */
public final class TokenTimes {
    /** WeNet's {@code time_stamp_gap_}: how far a token reaches back before its peak. */
    public static final int GAP_MS = 100;

    private TokenTimes() {}

    /**
     * Per token {start, end} in ms relative to the utterance start.
     *
     * @param frames the tokens' recorded CTC frames ({@link Hypothesis#tokenFrames()})
     * @param frameShiftMs milliseconds per CTC frame
     */
    public static long[][] tokenSpans(int[] frames, int frameShiftMs) {
        long[][] spans = new long[frames.length][2];
        for (int j = 0; j < frames.length; j++) {
            long t = frames[j];
            long start = Math.max(t * frameShiftMs - GAP_MS, 0);
            if (j > 0 && (t - frames[j - 1]) * frameShiftMs < GAP_MS) {
                start = (frames[j - 1] + t) / 2 * frameShiftMs;
            }
            long end = t * frameShiftMs;
            if (j < frames.length - 1 && (frames[j + 1] - t) * frameShiftMs < GAP_MS) {
                end = (frames[j + 1] + t) / 2 * frameShiftMs;
            }
            spans[j][0] = start;
            spans[j][1] = end;
        }
        return spans;
    }

    /**
     * The words of a hypothesis with their stream times and confidences.
     *
     * @param utteranceOffsetMs where the utterance starts in the stream (ms)
     */
    public static List<TimedWord> words(
            SymbolTable units, Hypothesis hypothesis, int frameShiftMs, long utteranceOffsetMs) {
        long[][] spans = tokenSpans(hypothesis.tokenFrames(), frameShiftMs);
        List<TimedWord> words = new ArrayList<>();
        for (WordSpan word : units.segmentWords(hypothesis.tokens())) {
            words.add(new TimedWord(
                    word.text(),
                    utteranceOffsetMs + spans[word.firstToken()][0],
                    utteranceOffsetMs + spans[word.lastToken()][1],
                    Confidence.geometricMean(hypothesis.tokenLogProbs(), word.firstToken(), word.lastToken() + 1)));
        }
        return words;
    }
}
