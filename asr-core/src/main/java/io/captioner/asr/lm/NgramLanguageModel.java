package io.captioner.asr.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A backoff word n-gram model, as an ARPA file describes it (what KenLM, SRILM, IRSTLM and MITLM
 * write), scored the standard way: {@code P(w | h)} is the stored probability of the longest
 * suffix of {@code h w} that the model holds, times the backoff weights of the contexts given up on
 * the way. Probabilities are returned as natural logarithms.
 *
 * <p>The history is a {@link #start() state}: an int naming the longest suffix of the words so far
 * that the model holds as an n-gram of at most order − 1 words (or {@link #EMPTY_CONTEXT}), so that
 * states compare by value and cost nothing to keep per hypothesis. A word outside the vocabulary is
 * scored as {@code <unk>}; a model without {@code <unk>} gives it log-probability 0 and forgets the
 * history, leaving the penalty to the caller.
 *
 * <p>Immutable and thread-safe: one model serves every stream. Load it with {@link #load}.
 */
public final class NgramLanguageModel {
    /** The state with no context: only unigrams apply. */
    public static final int EMPTY_CONTEXT = -1;

    public static final String SENTENCE_START = "<s>";
    public static final String SENTENCE_END = "</s>";
    public static final String UNKNOWN_WORD = "<unk>";
    static final double LN_10 = Math.log(10);
    private static final int WORD_BITS = 26;

    /** The result of scoring one word: the state after it and {@code ln P(word | history)}. */
    public record Step(int state, double logProb) {}

    private final String source;
    private final int order;
    private final long[] ngramCounts;
    private final String[] words;
    private final Map<String, Integer> wordIds;
    private final LongIntHashMap index;
    // per entry (an n-gram, or a context that only exists as a prefix of longer n-grams)
    private final int[] entryWord;
    private final int[] entryPrefix;
    private final int[] entrySuffix;
    private final byte[] entryOrder;
    private final float[] entryLogProb; // NaN: a context the file only implies (not an n-gram of its own)
    private final float[] entryBackoff;
    private final int startState;
    private final int unknownWord;
    private final int endWord;

    NgramLanguageModel(
            String source,
            int order,
            long[] ngramCounts,
            List<String> words,
            LongIntHashMap index,
            int entries,
            int[] entryWord,
            int[] entryPrefix,
            byte[] entryOrder,
            float[] entryLogProb,
            float[] entryBackoff) {
        if (words.size() >= 1 << WORD_BITS) {
            throw new IllegalArgumentException(source + ": more than " + (1 << WORD_BITS) + " words");
        }
        this.source = source;
        this.order = order;
        this.ngramCounts = ngramCounts.clone();
        this.words = words.toArray(String[]::new);
        this.wordIds = new HashMap<>();
        for (int i = 0; i < this.words.length; i++) {
            wordIds.put(this.words[i], i);
        }
        this.index = index;
        this.entryWord = Arrays.copyOf(entryWord, entries);
        this.entryPrefix = Arrays.copyOf(entryPrefix, entries);
        this.entryOrder = Arrays.copyOf(entryOrder, entries);
        this.entryLogProb = Arrays.copyOf(entryLogProb, entries);
        this.entryBackoff = Arrays.copyOf(entryBackoff, entries);
        this.entrySuffix = linkSuffixes();
        this.unknownWord = wordIds.getOrDefault(UNKNOWN_WORD, -1);
        this.endWord = wordIds.getOrDefault(SENTENCE_END, -1);
        Integer start = wordIds.get(SENTENCE_START);
        this.startState = start == null ? EMPTY_CONTEXT : find(EMPTY_CONTEXT, start);
    }

    /** Reads an ARPA file, plain or gzip-compressed. */
    public static NgramLanguageModel load(Path file) throws IOException {
        return ArpaReader.read(file);
    }

    static long key(int prefixEntry, int word) {
        return ((long) (prefixEntry + 1) << WORD_BITS) | word;
    }

    /** The entry of n-gram (words of {@code prefixEntry}) + {@code word}, or -1. */
    int find(int prefixEntry, int word) {
        return index.get(key(prefixEntry, word));
    }

    /**
     * For each entry w1..wk, the entry of w2..wk; where a pruned file lacks it, the longest shorter
     * suffix it holds (unigrams: the empty context).
     */
    private int[] linkSuffixes() {
        int[] suffix = new int[entryWord.length];
        for (int k = 1; k <= order; k++) {
            for (int e = 0; e < entryWord.length; e++) {
                if (entryOrder[e] != k) {
                    continue;
                }
                if (k == 1) {
                    suffix[e] = EMPTY_CONTEXT;
                    continue;
                }
                int context = suffix[entryPrefix[e]];
                int found = find(context, entryWord[e]);
                while (found < 0) {
                    context = suffix[context];
                    found = find(context, entryWord[e]);
                }
                suffix[e] = found;
            }
        }
        return suffix;
    }

    /** Where the model came from. */
    public String source() {
        return source;
    }

    /** The longest n-gram length. */
    public int order() {
        return order;
    }

    /** How many n-grams of length {@code n} the file holds. */
    public long ngramCount(int n) {
        return n >= 1 && n <= order ? ngramCounts[n - 1] : 0;
    }

    /** Number of words, including {@code <s>}, {@code </s>} and {@code <unk>} when present. */
    public int vocabularySize() {
        return words.length;
    }

    /** The word of id {@code id}. */
    public String word(int id) {
        return words[id];
    }

    /** The id of {@code word}, or -1 when it is not in the vocabulary. */
    public int wordId(String word) {
        Integer id = wordIds.get(word);
        return id == null ? -1 : id;
    }

    /** The state at the start of a sentence (after {@code <s>}). */
    public int start() {
        return startState;
    }

    /** {@code ln P(word)} with no context; {@code word} -1 (out of vocabulary) scores as {@code <unk>}. */
    public double unigramLogProb(int word) {
        return score(EMPTY_CONTEXT, word).logProb();
    }

    /**
     * Scores {@code word} after the history {@code state}.
     *
     * @param word a word id, or -1 for a word outside the vocabulary (scored as {@code <unk>})
     */
    public Step score(int state, int word) {
        int w = word >= 0 ? word : unknownWord;
        if (w < 0) {
            return new Step(EMPTY_CONTEXT, 0.0);
        }
        double backoff = 0;
        int context = state;
        int longestEntry = -1; // the longest suffix of history + word held as an entry: the next state
        while (true) {
            int found = find(context, w);
            if (found >= 0 && longestEntry < 0) {
                longestEntry = found;
            }
            if (found >= 0 && !Float.isNaN(entryLogProb[found])) {
                return new Step(nextState(longestEntry), entryLogProb[found] + backoff);
            }
            if (context == EMPTY_CONTEXT) {
                // a word of the vocabulary without a unigram probability (only <s> in a valid file)
                return new Step(
                        nextState(longestEntry),
                        unknownWord >= 0 && w != unknownWord
                                ? score(EMPTY_CONTEXT, unknownWord).logProb()
                                : 0.0);
            }
            backoff += entryBackoff[context];
            context = entrySuffix[context];
        }
    }

    /** A state holds at most order − 1 words: an entry of the highest order gives way to its suffix. */
    private int nextState(int entry) {
        if (entry < 0) {
            return EMPTY_CONTEXT;
        }
        return entryOrder[entry] < order ? entry : entrySuffix[entry];
    }

    /** {@code ln P(</s> | history)}: the cost of ending the sentence here (0 without {@code </s>}). */
    public double endLogProb(int state) {
        return endWord < 0 ? 0.0 : score(state, endWord).logProb();
    }

    /** Heap bytes held by the tables (an estimate that leaves out object headers). */
    public long memoryBytes() {
        long perEntry = 4L * Integer.BYTES + 1 + Float.BYTES; // word, prefix, suffix, order, log-prob, backoff
        long vocab = 0;
        for (String word : words) {
            vocab += 40 + 2L * word.length() + 48; // the string and its map entry
        }
        return index.memoryBytes() + perEntry * entryWord.length + vocab;
    }

    /** One line for logs: file, order, n-gram counts and memory. */
    public String describe() {
        StringBuilder counts = new StringBuilder();
        for (int n = 1; n <= order; n++) {
            counts.append(n == 1 ? "" : " ").append(n).append("-grams ").append(ngramCounts[n - 1]);
        }
        return String.format(
                java.util.Locale.ROOT,
                "%s (order %d, %d words, %s, %.1f MB)",
                source,
                order,
                words.length,
                counts,
                memoryBytes() / 1e6);
    }
}
