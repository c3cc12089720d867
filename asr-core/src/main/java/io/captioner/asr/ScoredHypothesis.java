package io.captioner.asr;

/**
 * One rescored hypothesis of a final.
 *
 * @param tokens unit ids
 * @param text detokenised text (no inverse text normalisation)
 * @param ctcScore CTC prefix log-probability
 * @param l2rScore left-to-right decoder log-probability (tokens + eos)
 * @param r2lScore right-to-left decoder log-probability (0 without a right-to-left decoder)
 * @param attentionScore (1 − reverse weight)·l2r + reverse weight·r2l
 * @param lmScore the word language model's part of the final score (0 without one): rescoring
 *     weight·ln P(sentence) + word bonus·words + unknown-word penalty·unknown words
 * @param finalScore attentionScore + ctc weight·ctcScore + lmScore; the best final has the highest
 */
public record ScoredHypothesis(
        int[] tokens,
        String text,
        double ctcScore,
        double l2rScore,
        double r2lScore,
        double attentionScore,
        double lmScore,
        double finalScore) {}
