package io.captioner.asr;

import io.captioner.asr.search.TimedWord;
import java.util.List;

/**
 * A partial or final transcript of one utterance (segment) of a stream.
 *
 * @param isFinal false for partials (best prefix after a chunk), true for the rescored final
 * @param segment utterance index in the stream, from 0; all partials and the final of one
 *     utterance share it
 * @param text the transcript (on finals with inverse text normalisation when switched on)
 * @param startMs start in ms from the start of the stream (first word, or the utterance start)
 * @param endMs end in ms from the start of the stream (last word, or the audio decoded so far)
 * @param words words with stream times and confidences
 * @param confidence in [0, 1], the geometric mean of the tokens' CTC posteriors
 * @param stablePrefixLength partials: characters of {@code text} unchanged over the last partials; finals: text length
 * @param nbest finals: the rescored hypotheses, best first; partials: empty
 * @param endReason finals: why the utterance ended; partials: null
 */
public record AsrResult(
        boolean isFinal,
        int segment,
        String text,
        long startMs,
        long endMs,
        List<TimedWord> words,
        double confidence,
        int stablePrefixLength,
        List<ScoredHypothesis> nbest,
        EndReason endReason) {

    public enum EndReason {
        /** Endpoint rule 1: long silence. */
        LONG_SILENCE,
        /** Endpoint rule 2: trailing silence after speech. */
        TRAILING_SILENCE,
        /** Endpoint rule 3: maximum utterance length. */
        MAX_UTTERANCE,
        /** The encoder's position table would have been exceeded: forced reset. */
        POSITION_LIMIT,
        /** {@link StreamingRecognizer#finish()}. */
        END_OF_INPUT
    }
}
