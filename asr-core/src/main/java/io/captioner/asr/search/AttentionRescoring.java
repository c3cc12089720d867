package io.captioner.asr.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Combines the bidirectional attention decoder's outputs with CTC scores as WeNet's attention
 * rescoring does. Per hypothesis of n tokens: {@code l2r = Σ_j L2R[j][tok_j] + L2R[n][eos]},
 * {@code r2l = Σ_j R2L[j][tok_(n−1−j)] + R2L[n][eos]} (the right-to-left decoder reads the tokens
 * reversed), {@code rescoring = (1 − rw)·l2r + rw·r2l}, and
 * {@code total = rescoringWeight·rescoring + ctcWeight·ctcScore + lm}, where {@code lm} is the word
 * language model's part ({@link LanguageModelFusion#rescoringScore}; 0 without one). Without a
 * right-to-left decoder (reverse weight 0 or a scalar {@code r_score}) r2l is 0 and rescoring is l2r.
 *
 * <p>WeNet's runtime feeds as CTC score the search's final score, which includes the bonus of
 * completed hotwords: pass {@link Hypothesis#rankingScore()} of
 * {@link CtcPrefixBeamSearch#finalNbest()} to do the same (equal to the CTC score without hotwords).
 */
public final class AttentionRescoring {
    private AttentionRescoring() {}

    /**
     * Weights of the combination.
     *
     * @param reverseWeight share of the right-to-left decoder (metadata {@code reverse_weight})
     * @param ctcWeight weight of the CTC score (WeNet runtime default 0.5)
     * @param rescoringWeight weight of the decoder score (WeNet runtime default 1.0)
     */
    public record Weights(double reverseWeight, double ctcWeight, double rescoringWeight) {
        public Weights {
            if (!(reverseWeight >= 0 && reverseWeight <= 1)) {
                throw new IllegalArgumentException("reverse weight must lie in [0, 1], got " + reverseWeight);
            }
        }
    }

    /** Scores of one hypothesis; {@code total} is what the best is chosen by. */
    public record Score(double l2r, double r2l, double rescoring, double lm, double total) {}

    /**
     * Scores every hypothesis.
     *
     * @param hypotheses token ids per hypothesis (no sos/eos)
     * @param l2r the decoder's {@code score} output, [N][L][V]; row j predicts token j, row n eos
     * @param r2l the decoder's {@code r_score} output of the same layout, or {@code null} when the
     *     export has no right-to-left decoder (then the reverse weight must be 0)
     * @param ctcScores the hypotheses' CTC scores
     * @param eos the eos id (metadata {@code eos_symbol})
     */
    public static List<Score> score(
            List<int[]> hypotheses, float[][][] l2r, float[][][] r2l, double[] ctcScores, int eos, Weights weights) {
        return score(hypotheses, l2r, r2l, ctcScores, null, eos, weights);
    }

    /**
     * Scores every hypothesis, with the word language model's part of each final score.
     *
     * @param lmScores per hypothesis, what the language model adds to the total, or {@code null}
     *     without a language model
     */
    public static List<Score> score(
            List<int[]> hypotheses,
            float[][][] l2r,
            float[][][] r2l,
            double[] ctcScores,
            double[] lmScores,
            int eos,
            Weights weights) {
        if (l2r.length < hypotheses.size()
                || ctcScores.length != hypotheses.size()
                || (r2l != null && r2l.length < hypotheses.size())
                || (lmScores != null && lmScores.length != hypotheses.size())) {
            throw new IllegalArgumentException(String.format(
                    "attention rescoring of %d hypotheses got %d L2R rows, %s R2L rows, %d CTC scores and %s LM scores",
                    hypotheses.size(),
                    l2r.length,
                    r2l == null ? "no" : String.valueOf(r2l.length),
                    ctcScores.length,
                    lmScores == null ? "no" : String.valueOf(lmScores.length)));
        }
        boolean useReverse = r2l != null && weights.reverseWeight() > 0;
        if (r2l == null && weights.reverseWeight() > 0) {
            throw new IllegalArgumentException(
                    "reverse weight " + weights.reverseWeight() + " but the decoder has no right-to-left output");
        }
        List<Score> scores = new ArrayList<>(hypotheses.size());
        for (int i = 0; i < hypotheses.size(); i++) {
            int[] tokens = hypotheses.get(i);
            double forward = sequenceScore(tokens, l2r[i], false, eos, i);
            double backward = useReverse ? sequenceScore(tokens, r2l[i], true, eos, i) : 0.0;
            double rescoring =
                    useReverse ? (1 - weights.reverseWeight()) * forward + weights.reverseWeight() * backward : forward;
            double lm = lmScores == null ? 0.0 : lmScores[i];
            double total = weights.rescoringWeight() * rescoring + weights.ctcWeight() * ctcScores[i] + lm;
            scores.add(new Score(forward, backward, rescoring, lm, total));
        }
        return scores;
    }

    /** Index of the highest total; the first one wins a tie. */
    public static int bestIndex(List<Score> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no hypotheses to choose from");
        }
        int best = 0;
        for (int i = 1; i < scores.size(); i++) {
            if (scores.get(i).total() > scores.get(best).total()) {
                best = i;
            }
        }
        return best;
    }

    private static double sequenceScore(int[] tokens, float[][] rows, boolean reversed, int eos, int hyp) {
        int n = tokens.length;
        if (rows.length < n + 1) {
            throw new IllegalArgumentException(String.format(
                    "hypothesis %d has %d tokens but the decoder output has only %d rows (needs %d)",
                    hyp, n, rows.length, n + 1));
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += rows[j][reversed ? tokens[n - 1 - j] : tokens[j]];
        }
        return sum + rows[n][eos];
    }
}
