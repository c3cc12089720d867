package io.captioner.asr.search;

/**
 * Confidence from CTC posteriors: the geometric mean of the peak posteriors of a run of tokens
 * ({@link Hypothesis#tokenLogProbs()}). A confident decode has posteriors near 1 at the token
 * peaks, so the value approaches 1; any unsure token pulls it towards 0. Used for the utterance
 * ({@link Hypothesis#confidence()}) and for each word ({@link TimedWord#confidence()}).
 */
public final class Confidence {
    private Confidence() {}

    /**
     * exp(mean of {@code logProbs[from..to)}), clamped to [0, 1]; 0 for an empty range.
     */
    public static double geometricMean(float[] logProbs, int from, int to) {
        if (to <= from) {
            return 0.0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += logProbs[i];
        }
        double value = Math.exp(sum / (to - from));
        return Math.max(0.0, Math.min(1.0, value));
    }
}
