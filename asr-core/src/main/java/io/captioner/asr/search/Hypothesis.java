package io.captioner.asr.search;

/**
 * One prefix of the CTC prefix beam search. Arrays are shared, never copied: treat them as
 * read-only.
 *
 * @param tokens the unit ids of the prefix (no blanks)
 * @param ctcScore the CTC log-probability of the prefix: log-add of its blank-ending and
 *     non-blank-ending scores (what WeNet reports as the n-best score; no context bonus)
 * @param contextScore the hotword bonus this prefix holds (0 without a context graph)
 * @param tokenFrames per token, the frame WeNet's search records as its time (encoder frames since
 *     the last reset)
 * @param tokenLogProbs per token, the CTC log-probability of that token at its recorded frame
 */
public record Hypothesis(
    int[] tokens, double ctcScore, double contextScore, int[] tokenFrames, float[] tokenLogProbs) {

  /** The score the beam ranks by: CTC score plus context bonus. */
  public double rankingScore() {
    return ctcScore + contextScore;
  }

  /**
   * Confidence in [0, 1]: the geometric mean of the tokens' CTC posteriors at their recorded
   * frames (exp of the mean token log-probability); 0 when there are no tokens.
   */
  public double confidence() {
    return Confidence.geometricMean(tokenLogProbs, 0, tokenLogProbs.length);
  }
}
