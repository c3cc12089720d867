package io.captioner.asr.search;

/**
 * One prefix of the CTC prefix beam search (a copy: the search's state is not exposed).
 *
 * @param tokens the unit ids of the prefix (no blanks)
 * @param ctcScore the CTC log-probability of the prefix: log-add of its blank-ending and
 *     non-blank-ending scores (what WeNet reports as the n-best score; no context bonus)
 * @param contextScore the hotword bonus this prefix holds (0 without a context graph)
 * @param lm the prefix's language-model state, whose {@link LanguageModelFusion.State#score()} is
 *     part of the ranking ({@code null} without a language model); finished (last word and
 *     sentence end scored) in {@link CtcPrefixBeamSearch#finalNbest()}
 * @param tokenFrames per token, the frame WeNet's search records as its time, in CTC frames since
 *     the last reset. WeNet calls it the peak, but its bookkeeping starts afresh every frame, so it
 *     is in effect the last frame of the token on the prefix's best path (on the fixtures 34 of 43
 *     multi-frame runs); it is reproduced exactly, as the reference times require
 * @param tokenLogProbs per token, its highest CTC log-probability over the frames of its run on
 *     the prefix's best path (up to the recorded frame)
 */
public record Hypothesis(
        int[] tokens,
        double ctcScore,
        double contextScore,
        LanguageModelFusion.State lm,
        int[] tokenFrames,
        float[] tokenLogProbs) {

    /** The score the beam ranks by: CTC score plus context bonus plus LM score. */
    public double rankingScore() {
        return ctcScore + contextScore + (lm == null ? 0 : lm.score());
    }

    /**
     * Confidence in [0, 1]: the geometric mean of the tokens' peak CTC posteriors
     * ({@link #tokenLogProbs}); 0 when there are no tokens.
     */
    public double confidence() {
        return Confidence.geometricMean(tokenLogProbs, 0, tokenLogProbs.length);
    }
}
