package io.captioner.asr.lm;

import java.util.Arrays;

/**
 * The words of a language model as a character trie, for look-ahead while a word is still being
 * spelt: each node knows the best unigram log-probability of any word below it, so a partial word
 * can be scored by the best word it may still become, and a prefix that no word starts with is
 * known at once ({@link #NO_NODE}). Characters rather than model units, so that character and
 * BPE vocabularies share one trie. The sentence tags {@code <s>}, {@code </s>} and {@code <unk>}
 * are not words here.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class VocabularyTrie {
    /** The node of the empty word. */
    public static final int ROOT = 0;
    /** A prefix that no word of the vocabulary starts with. */
    public static final int NO_NODE = -1;

    private final LongIntHashMap children;
    private final float[] bestLogProb;
    private final int[] wordAt;

    private VocabularyTrie(LongIntHashMap children, float[] bestLogProb, int[] wordAt) {
        this.children = children;
        this.bestLogProb = bestLogProb;
        this.wordAt = wordAt;
    }

    /** Builds the trie of every word of {@code lm} (its unigrams). */
    public static VocabularyTrie of(NgramLanguageModel lm) {
        LongIntHashMap children = new LongIntHashMap(lm.vocabularySize() * 4);
        float[] best = new float[1024];
        int[] wordAt = new int[1024];
        best[ROOT] = Float.NEGATIVE_INFINITY;
        wordAt[ROOT] = -1;
        int nodes = 1;
        for (int id = 0; id < lm.vocabularySize(); id++) {
            String word = lm.word(id);
            if (isTag(word)) {
                continue;
            }
            float logProb = (float) lm.unigramLogProb(id);
            int node = ROOT;
            best[ROOT] = Math.max(best[ROOT], logProb);
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                i += Character.charCount(cp);
                long key = edge(node, cp);
                int child = children.get(key);
                if (child < 0) {
                    if (nodes == best.length) {
                        best = Arrays.copyOf(best, nodes * 2);
                        wordAt = Arrays.copyOf(wordAt, nodes * 2);
                    }
                    child = nodes++;
                    best[child] = Float.NEGATIVE_INFINITY;
                    wordAt[child] = -1;
                    children.put(key, child);
                }
                node = child;
                best[node] = Math.max(best[node], logProb);
            }
            wordAt[node] = id;
        }
        return new VocabularyTrie(children, Arrays.copyOf(best, nodes), Arrays.copyOf(wordAt, nodes));
    }

    private static boolean isTag(String word) {
        return word.equals(NgramLanguageModel.SENTENCE_START)
                || word.equals(NgramLanguageModel.SENTENCE_END)
                || word.equals(NgramLanguageModel.UNKNOWN_WORD);
    }

    private static long edge(int node, int codePoint) {
        return ((long) node << 21) | codePoint;
    }

    /** The node after {@code text} is appended to the prefix at {@code node}; NO_NODE stays NO_NODE. */
    public int walk(int node, CharSequence text) {
        for (int i = 0; i < text.length() && node != NO_NODE; ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            node = children.get(edge(node, cp));
        }
        return node;
    }

    /** The best unigram log-probability of the words that start with this node's prefix. */
    public double bestLogProb(int node) {
        return bestLogProb[node];
    }

    /** The language-model word id spelt by this node's prefix, or -1 when the prefix is no word. */
    public int wordAt(int node) {
        return node == NO_NODE ? -1 : wordAt[node];
    }

    /** Number of nodes, the root included. */
    public int size() {
        return wordAt.length;
    }
}
