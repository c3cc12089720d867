package io.captioner.asr.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.captioner.asr.testing.TinyLanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trie of the hand-written model of {@link TinyLanguageModel}: words the, cat, sat. */
class VocabularyTrieTest {
    private static final double LN10 = Math.log(10);

    @Test
    void eachNodeKnowsTheBestWordBelowItAndDeadPrefixesHaveNoNode(@TempDir Path dir) throws IOException {
        NgramLanguageModel lm = TinyLanguageModel.load(dir);
        VocabularyTrie trie = VocabularyTrie.of(lm);
        assertEquals(-0.6 * LN10, trie.bestLogProb(VocabularyTrie.ROOT), 1e-5, "'the' is the likeliest word");
        int ca = trie.walk(VocabularyTrie.ROOT, "ca");
        assertEquals(-0.8 * LN10, trie.bestLogProb(ca), 1e-5);
        assertEquals(-1, trie.wordAt(ca), "'ca' is no word");
        int cat = trie.walk(ca, "t");
        assertEquals(lm.wordId("cat"), trie.wordAt(cat));
        assertEquals(VocabularyTrie.NO_NODE, trie.walk(VocabularyTrie.ROOT, "ka"));
        assertEquals(VocabularyTrie.NO_NODE, trie.walk(trie.walk(VocabularyTrie.ROOT, "k"), "at"), "dead stays dead");
        assertEquals(VocabularyTrie.NO_NODE, trie.walk(VocabularyTrie.ROOT, "<s>"), "tags are no words");
        assertEquals(1 + 3 + 3 + 3, trie.size(), "root, t-h-e, c-a-t, s-a-t sharing nothing but the root");
    }
}
