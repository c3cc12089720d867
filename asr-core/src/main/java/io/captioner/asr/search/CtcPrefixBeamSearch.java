package io.captioner.asr.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frame-synchronous CTC prefix beam search, step for step as WeNet's runtime does it: per frame
 * the top-k tokens extend every kept prefix; each prefix carries a blank-ending and a
 * non-blank-ending log score plus Viterbi scores that decide its token times; the best
 * {@code beamSize} prefixes by CTC score + context bonus survive. State is kept across
 * {@link #advance} calls, so feeding an utterance whole or chunk by chunk gives the same result.
 * A word language model can be fused in ({@link LanguageModelFusion}); without one the search is
 * WeNet's exactly.
 *
 * <p>Ties are broken as WeNet's Python search does (its output is the reference): candidate
 * tokens in descending probability, prefixes in their previous rank, and a stable sort. One
 * deliberate difference: prefixes that no path reaches (score -inf, created as a side effect of
 * the *aε + a rule) are not kept to fill the beam, so the n-best lists only real hypotheses; this
 * never changes the ranking of the others.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class CtcPrefixBeamSearch {
    private static final int BLANK = 0;
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private final SearchOptions options;
    private final LanguageModelFusion languageModel;
    private ContextGraph context;
    private List<Prefix> beam = new ArrayList<>();
    private int frame;

    public CtcPrefixBeamSearch(SearchOptions options) {
        this(options, null);
    }

    /**
     * A search with a word language model fused in ({@code null} for none): the beam ranks by CTC
     * score + context bonus + {@link LanguageModelFusion.State#score() LM score}, so the partials
     * and the n-best come from the fused search.
     */
    public CtcPrefixBeamSearch(SearchOptions options, LanguageModelFusion languageModel) {
        this.options = options;
        this.languageModel = languageModel;
        reset();
    }

    /** Forgets everything decoded: empty prefix, frame counter 0 (call at each endpoint). */
    public void reset() {
        Prefix empty = new Prefix(PrefixKey.EMPTY);
        empty.blankEnding = 0.0;
        empty.viterbiBlankEnding = 0.0;
        empty.viterbiNonBlankEnding = 0.0;
        empty.contextState = ContextGraph.ROOT;
        empty.lm = languageModel == null ? null : languageModel.initial();
        beam = new ArrayList<>(List.of(empty));
        frame = 0;
    }

    /**
     * Sets the hotword context graph for this stream ({@code null} for none). Takes effect at once:
     * the prefixes already in the beam are re-matched against the new graph.
     */
    public void setContextGraph(ContextGraph graph) {
        this.context = graph;
        for (Prefix prefix : beam) {
            prefix.contextState = ContextGraph.ROOT;
            prefix.contextScore = 0;
            if (graph != null) {
                for (int token : prefix.key.tokens()) {
                    ContextGraph.Step step = graph.step(prefix.contextState, token);
                    prefix.contextState = step.state();
                    prefix.contextScore += step.score();
                }
            }
        }
        beam.sort(CtcPrefixBeamSearch::byRankingScoreDescending);
    }

    /** The context graph in use, or {@code null}. */
    public ContextGraph contextGraph() {
        return context;
    }

    /** Frames searched since the last reset. */
    public int framesSearched() {
        return frame;
    }

    /**
     * Searches the next frames.
     *
     * @param logProbs CTC log-probabilities, one row per frame, every row the same vocabulary size
     */
    public void advance(float[][] logProbs) {
        for (float[] row : logProbs) {
            advanceFrame(row);
        }
    }

    private void advanceFrame(float[] logp) {
        if (logp.length == 0) {
            throw new IllegalArgumentException("frame " + frame + " has an empty log-probability row");
        }
        int[] candidates = topK(logp, Math.min(logp.length, options.firstBeamSize()));
        Map<PrefixKey, Prefix> next = new LinkedHashMap<>(4 * candidates.length * beam.size());
        for (int token : candidates) {
            double prob = logp[token];
            for (Prefix prefix : beam) {
                if (token == BLANK) {
                    extendByBlank(next, prefix, prob);
                } else if (prefix.key.length > 0 && token == prefix.key.token) {
                    repeatLastToken(next, prefix, (float) prob);
                    extendByRepeatedToken(next, prefix, token, (float) prob);
                } else {
                    extendByNewToken(next, prefix, token, (float) prob);
                }
            }
        }
        List<Prefix> ranked = new ArrayList<>(next.values());
        for (Prefix prefix : ranked) {
            prefix.rank = prefix.rankingScore(); // once per prefix, not once per comparison
        }
        ranked.sort(CtcPrefixBeamSearch::byRankDescending);
        int keep = Math.min(ranked.size(), options.beamSize());
        // prefixes no path reaches (score -inf) can never recover; WeNet keeps them to fill the beam
        while (keep > 1 && ranked.get(keep - 1).score() == NEG_INF) {
            keep--;
        }
        beam = new ArrayList<>(ranked.subList(0, keep));
        frame++;
    }

    /** *a + ε → *a. */
    private void extendByBlank(Map<PrefixKey, Prefix> next, Prefix prefix, double prob) {
        Prefix target = next.computeIfAbsent(prefix.key, Prefix::new);
        target.blankEnding = logAdd(target.blankEnding, prefix.score() + prob);
        target.viterbiBlankEnding = prefix.viterbiScore() + prob;
        target.traceBlankEnding = prefix.trace();
        inheritWordState(target, prefix);
    }

    /**
     * *a + a → *a: the last token goes on. When this path wins, the token's time moves to this
     * frame (WeNet's "peak" bookkeeping starts afresh every frame, so in effect the time is the last
     * frame of the token on the best path) and its posterior becomes the best one seen on the run.
     */
    private void repeatLastToken(Map<PrefixKey, Prefix> next, Prefix prefix, float prob) {
        Prefix target = next.computeIfAbsent(prefix.key, Prefix::new);
        target.nonBlankEnding = logAdd(target.nonBlankEnding, prefix.nonBlankEnding + prob);
        if (target.viterbiNonBlankEnding < prefix.viterbiNonBlankEnding + prob) {
            target.viterbiNonBlankEnding = prefix.viterbiNonBlankEnding + prob;
            if (target.currentTokenProb < prob) {
                target.currentTokenProb = prob;
                TokenTrace last = prefix.traceNonBlankEnding;
                target.traceNonBlankEnding = new TokenTrace(frame, Math.max(last.prob, prob), last.earlier);
            }
        }
        inheritWordState(target, prefix);
    }

    /** *aε + a → *aa: only the blank-ending path may emit the same token again. */
    private void extendByRepeatedToken(Map<PrefixKey, Prefix> next, Prefix prefix, int token, float prob) {
        Prefix target = extended(next, prefix, token);
        target.nonBlankEnding = logAdd(target.nonBlankEnding, prefix.blankEnding + prob);
        if (target.viterbiNonBlankEnding < prefix.viterbiBlankEnding + prob) {
            target.viterbiNonBlankEnding = prefix.viterbiBlankEnding + prob;
            target.currentTokenProb = prob;
            target.traceNonBlankEnding = new TokenTrace(frame, prob, prefix.traceBlankEnding);
        }
        advanceWordState(target, prefix, token);
    }

    /** *a + b → *ab and *aε + b → *ab. */
    private void extendByNewToken(Map<PrefixKey, Prefix> next, Prefix prefix, int token, float prob) {
        Prefix target = extended(next, prefix, token);
        target.nonBlankEnding = logAdd(target.nonBlankEnding, prefix.score() + prob);
        if (target.viterbiNonBlankEnding < prefix.viterbiScore() + prob) {
            target.viterbiNonBlankEnding = prefix.viterbiScore() + prob;
            target.currentTokenProb = prob;
            target.traceNonBlankEnding = new TokenTrace(frame, prob, prefix.trace());
        }
        advanceWordState(target, prefix, token);
    }

    private static Prefix extended(Map<PrefixKey, Prefix> next, Prefix prefix, int token) {
        return next.computeIfAbsent(prefix.key.append(token), Prefix::new);
    }

    /** Hotword and LM state of a prefix that keeps its tokens (both depend on the tokens alone). */
    private void inheritWordState(Prefix target, Prefix source) {
        if (context != null && !target.hasContext) {
            target.contextState = source.contextState;
            target.contextScore = source.contextScore;
            target.hasContext = true;
        }
        if (target.lm == null) {
            target.lm = source.lm;
        }
    }

    private void advanceWordState(Prefix target, Prefix source, int token) {
        if (context != null && !target.hasContext) {
            ContextGraph.Step step = context.step(source.contextState, token);
            target.contextState = step.state();
            target.contextScore = source.contextScore + step.score();
            target.hasContext = true;
        }
        if (languageModel != null && target.lm == null) {
            target.lm = languageModel.next(source.lm, token);
        }
    }

    /**
     * The current n-best, best first, ranked by CTC score + context bonus + LM score (a partial
     * hotword match still holds its provisional bonus, a word being spelt its look-ahead). At least
     * one hypothesis (possibly empty) is returned.
     */
    public List<Hypothesis> nbest() {
        List<Hypothesis> result = new ArrayList<>(beam.size());
        for (Prefix prefix : beam) {
            result.add(prefix.toHypothesis(prefix.contextScore, prefix.lm));
        }
        return result;
    }

    /** The best current hypothesis (the partial result). */
    public Hypothesis best() {
        return beam.get(0).toHypothesis(beam.get(0).contextScore, beam.get(0).lm);
    }

    /**
     * The n-best for a final result: hotword matches left unfinished give their bonus back, the
     * last word is completed and the sentence end scored by the LM, and the list is re-ranked
     * (WeNet's {@code FinalizeSearch}). Does not change the search state.
     */
    public List<Hypothesis> finalNbest() {
        List<Hypothesis> result = new ArrayList<>(beam.size());
        for (Prefix prefix : beam) {
            double contextScore = prefix.contextScore;
            if (context != null) {
                contextScore += context.finish(prefix.contextState);
            }
            result.add(
                    prefix.toHypothesis(contextScore, languageModel == null ? null : languageModel.finish(prefix.lm)));
        }
        result.sort((a, b) -> Double.compare(b.rankingScore(), a.rankingScore()));
        return result;
    }

    private static int byRankingScoreDescending(Prefix a, Prefix b) {
        return Double.compare(b.rankingScore(), a.rankingScore());
    }

    private static int byRankDescending(Prefix a, Prefix b) {
        return Double.compare(b.rank, a.rank);
    }

    /** Indices of the k largest values, largest first; ties keep the lower index first. */
    static int[] topK(float[] values, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (filled == k && !(v > values[best[k - 1]])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && v > values[best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return best;
    }

    /** log(exp(a) + exp(b)) computed stably, as WeNet's {@code log_add}. */
    static double logAdd(double a, double b) {
        if (a == NEG_INF && b == NEG_INF) {
            return NEG_INF;
        }
        double max = Math.max(a, b);
        return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }

    /**
     * A token prefix as a key: its last token and the key of the prefix before it, shared by every
     * prefix that grew from it, so that appending a token, hashing ({@link Arrays#hashCode(int[])}'s
     * value, made from the parent's) and comparing prefixes of one search cost O(1) rather than the
     * utterance's length. The search makes hundreds of prefixes a frame and keeps a few dozen.
     */
    private static final class PrefixKey {
        static final PrefixKey EMPTY = new PrefixKey(null, 0);

        final PrefixKey parent;
        final int token; // meaningless in EMPTY
        final int length;
        final int hash;

        private PrefixKey(PrefixKey parent, int token) {
            this.parent = parent;
            this.token = token;
            this.length = parent == null ? 0 : parent.length + 1;
            this.hash = parent == null ? 1 : 31 * parent.hash + token;
        }

        PrefixKey append(int token) {
            return new PrefixKey(this, token);
        }

        int[] tokens() {
            int[] tokens = new int[length];
            PrefixKey key = this;
            for (int i = length - 1; i >= 0; i--) {
                tokens[i] = key.token;
                key = key.parent;
            }
            return tokens;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof PrefixKey other) || other.hash != hash || other.length != length) {
                return false;
            }
            PrefixKey a = this;
            PrefixKey b = other;
            while (a != b) { // prefixes of one search share their beginnings: this ends at a common parent
                if (a.token != b.token) {
                    return false;
                }
                a = a.parent;
                b = b.parent;
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * When each token of a path was emitted and its best posterior: the last token's entry, and the
     * entries before it shared with the path it grew from (null for no tokens).
     */
    private record TokenTrace(int frame, float prob, TokenTrace earlier) {
        static int[] frames(TokenTrace last, int length) {
            int[] frames = new int[length];
            for (int i = length - 1; i >= 0; i--, last = last.earlier) {
                frames[i] = last.frame;
            }
            return frames;
        }

        static float[] probs(TokenTrace last, int length) {
            float[] probs = new float[length];
            for (int i = length - 1; i >= 0; i--, last = last.earlier) {
                probs[i] = last.prob;
            }
            return probs;
        }
    }

    /** Scores of one prefix during a frame (WeNet's PrefixScore). */
    private static final class Prefix {
        final PrefixKey key;
        double blankEnding = NEG_INF;
        double nonBlankEnding = NEG_INF;
        double viterbiBlankEnding = NEG_INF;
        double viterbiNonBlankEnding = NEG_INF;
        double currentTokenProb = NEG_INF;
        TokenTrace traceBlankEnding;
        TokenTrace traceNonBlankEnding;
        boolean hasContext;
        int contextState = ContextGraph.ROOT;
        double contextScore;
        LanguageModelFusion.State lm; // null without a language model, or until the prefix is scored
        double rank; // rankingScore() when the frame's prefixes are ranked

        Prefix(PrefixKey key) {
            this.key = key;
        }

        double score() {
            return logAdd(blankEnding, nonBlankEnding);
        }

        double rankingScore() {
            return score() + contextScore + (lm == null ? 0 : lm.score());
        }

        double viterbiScore() {
            return viterbiBlankEnding > viterbiNonBlankEnding ? viterbiBlankEnding : viterbiNonBlankEnding;
        }

        TokenTrace trace() {
            return viterbiBlankEnding > viterbiNonBlankEnding ? traceBlankEnding : traceNonBlankEnding;
        }

        Hypothesis toHypothesis(double finalContextScore, LanguageModelFusion.State lmState) {
            return new Hypothesis(
                    key.tokens(),
                    score(),
                    finalContextScore,
                    lmState,
                    TokenTrace.frames(trace(), key.length),
                    TokenTrace.probs(trace(), key.length));
        }
    }
}
