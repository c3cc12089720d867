package io.captioner.asr.search;

import io.captioner.asr.lm.NgramLanguageModel;
import io.captioner.asr.lm.VocabularyTrie;
import java.util.Locale;

/**
 * Shallow fusion of a word n-gram model into CTC prefix beam search, as pyctcdecode and
 * DeepSpeech's decoder do it with KenLM: a prefix's score gains
 * {@code weight · ln P(word | history) + wordBonus} for every word it completes, and for the word
 * it is still spelling the look-ahead {@code weight · ln P(best word with this spelling so far)}
 * (the best unigram below its trie node), or {@code unknownWordPenalty} once no word of the
 * vocabulary starts that way. So a misspelling loses its place in the beam as soon as it leaves
 * the vocabulary, instead of being kept for free until the word ends. A word outside the
 * vocabulary scores {@code weight · ln P(<unk> | history) + unknownWordPenalty + wordBonus}.
 *
 * <p>Words are found from the units as {@link SymbolTable#segmentWords} finds them: a unit that
 * starts with ▁ starts a word (BPE, WeNet's English chars), a unit that is only ▁ ends one, tags
 * make the word unknown, other units spell on. The look-ahead works on characters, so character
 * and BPE models share it.
 *
 * <p>Immutable and thread-safe: one instance serves every stream of a model; the per-prefix
 * {@link State} is a value the search keeps with each prefix (so prefix merging and chunk
 * boundaries need nothing special, and a reset starts again from {@link #initial()}).
 */
public final class LanguageModelFusion {
    /**
     * How the language model is weighed.
     *
     * @param weight multiplies {@code ln P(word | history)} during the search
     * @param wordBonus added per word (keeps the LM from favouring short hypotheses)
     * @param unknownWordPenalty added per word outside the vocabulary (≤ 0)
     * @param rescoringWeight multiplies the sentence's {@code ln P} (with {@code </s>}) in the final,
     *     rescored score, next to the attention and CTC scores; bonus and penalty apply there too
     */
    public record Weights(double weight, double wordBonus, double unknownWordPenalty, double rescoringWeight) {
        /** Tuned on the recipe's own held-out sets with the shipped MoE model (see its model card). */
        public static final Weights DEFAULTS = new Weights(0.7, 1.5, -25.0, 0.9);

        public Weights {
            check("weight", weight, 0, 10);
            check("word bonus", wordBonus, -20, 20);
            check("unknown-word penalty", unknownWordPenalty, -100, 0);
            check("rescoring weight", rescoringWeight, 0, 10);
        }

        private static void check(String name, double value, double min, double max) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT, "language model %s must lie in [%s, %s], got %s", name, min, max, value));
            }
        }
    }

    /**
     * A prefix's language-model state.
     *
     * @param lmState the n-gram history after the last completed word
     * @param node the trie node of the word being spelt ({@link VocabularyTrie#ROOT} between words)
     * @param inWord whether a word is being spelt
     * @param completedScore the fused score of the completed words
     * @param lookahead the fused score of the word being spelt (0 between words)
     * @param logProb {@code Σ ln P(word | history)} of the completed words, unweighted
     * @param words completed words
     * @param unknownWords completed words outside the vocabulary
     */
    public record State(
            int lmState,
            int node,
            boolean inWord,
            double completedScore,
            double lookahead,
            double logProb,
            int words,
            int unknownWords) {
        /** What the prefix's ranking score gains from the language model. */
        public double score() {
            return completedScore + lookahead;
        }
    }

    private enum UnitKind {
        SEPARATOR,
        WORD_START,
        CONTINUATION,
        UNKNOWN
    }

    private final NgramLanguageModel lm;
    private final VocabularyTrie trie;
    private final Weights weights;
    private final UnitKind[] kinds;
    private final String[] spelling;

    public LanguageModelFusion(NgramLanguageModel lm, VocabularyTrie trie, SymbolTable units, Weights weights) {
        this.lm = lm;
        this.trie = trie;
        this.weights = weights;
        this.kinds = new UnitKind[units.size()];
        this.spelling = new String[units.size()];
        for (int id = 0; id < units.size(); id++) {
            String symbol = units.symbol(id);
            spelling[id] = symbol.replace(SymbolTable.WORD_START, "").toLowerCase(Locale.ROOT);
            if (units.isTag(id)) {
                kinds[id] = UnitKind.UNKNOWN;
            } else if (symbol.equals(SymbolTable.WORD_START)) {
                kinds[id] = UnitKind.SEPARATOR;
            } else if (symbol.startsWith(SymbolTable.WORD_START)) {
                kinds[id] = UnitKind.WORD_START;
            } else {
                kinds[id] = UnitKind.CONTINUATION;
            }
        }
    }

    /** The state at the start of an utterance. */
    public State initial() {
        return new State(lm.start(), VocabularyTrie.ROOT, false, 0, 0, 0, 0, 0);
    }

    /** The state after {@code unit} is appended to a prefix in state {@code state}. */
    public State next(State state, int unit) {
        return switch (kinds[unit]) {
            case SEPARATOR -> completeWord(state);
            case WORD_START -> spell(completeWord(state), spelling[unit]);
            case CONTINUATION -> spell(state, spelling[unit]);
            case UNKNOWN -> spellUnknown(state);
        };
    }

    /** The state of a finished utterance: the word being spelt is completed and {@code </s>} scored. */
    public State finish(State state) {
        State done = completeWord(state);
        double end = lm.endLogProb(done.lmState());
        return new State(
                done.lmState(),
                VocabularyTrie.ROOT,
                false,
                done.completedScore() + weights.weight() * end,
                0,
                done.logProb() + end,
                done.words(),
                done.unknownWords());
    }

    /** The LM's part of a final, rescored score for a {@link #finish finished} state. */
    public double rescoringScore(State finished) {
        return weights.rescoringWeight() * finished.logProb()
                + weights.wordBonus() * finished.words()
                + weights.unknownWordPenalty() * finished.unknownWords();
    }

    private State spell(State state, String text) {
        if (text.isEmpty()) {
            return state;
        }
        int node = trie.walk(state.inWord() ? state.node() : VocabularyTrie.ROOT, text);
        return new State(
                state.lmState(),
                node,
                true,
                state.completedScore(),
                lookahead(node),
                state.logProb(),
                state.words(),
                state.unknownWords());
    }

    private State spellUnknown(State state) {
        return new State(
                state.lmState(),
                VocabularyTrie.NO_NODE,
                true,
                state.completedScore(),
                lookahead(VocabularyTrie.NO_NODE),
                state.logProb(),
                state.words(),
                state.unknownWords());
    }

    private double lookahead(int node) {
        return node == VocabularyTrie.NO_NODE
                ? weights.unknownWordPenalty()
                : weights.weight() * trie.bestLogProb(node);
    }

    private State completeWord(State state) {
        if (!state.inWord()) {
            return state;
        }
        int word = trie.wordAt(state.node());
        NgramLanguageModel.Step step = lm.score(state.lmState(), word);
        double fused =
                weights.weight() * step.logProb() + weights.wordBonus() + (word < 0 ? weights.unknownWordPenalty() : 0);
        return new State(
                step.state(),
                VocabularyTrie.ROOT,
                false,
                state.completedScore() + fused,
                0,
                state.logProb() + step.logProb(),
                state.words() + 1,
                state.unknownWords() + (word < 0 ? 1 : 0));
    }
}
