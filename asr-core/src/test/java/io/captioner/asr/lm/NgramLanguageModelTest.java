package io.captioner.asr.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.testing.TinyLanguageModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scores of the hand-written trigram model of {@link TinyLanguageModel}, worked out by hand in log10 and compared in natural log:
 * <ul>
 *   <li>P(cat | &lt;s&gt; the): the trigram itself, −0.1.</li>
 *   <li>P(sat | &lt;s&gt; the): no trigram, so backoff(&lt;s&gt; the) −0.1; no bigram "the sat", so
 *       backoff(the) −0.3; unigram sat −0.9: −1.3.</li>
 *   <li>P(dog | the): "dog" is outside the vocabulary and scores as &lt;unk&gt;: backoff(the) −0.3 +
 *       unigram &lt;unk&gt; −1.0 = −1.3.</li>
 *   <li>"the cat sat" with sentence end: −0.3 (bigram) −0.1 (trigram) −0.05 (trigram "the cat sat")
 *       −0.5 (no trigram "cat sat &lt;/s&gt;", "cat sat" has no backoff, bigram "sat &lt;/s&gt;") = −0.95.</li>
 * </ul>
 */
class NgramLanguageModelTest {
    private static final double LN10 = Math.log(10);

    private static double afterHistory(NgramLanguageModel lm, String word, String... history) {
        int state = lm.start();
        for (String w : history) {
            state = lm.score(state, lm.wordId(w)).state();
        }
        return lm.score(state, lm.wordId(word)).logProb();
    }

    @Test
    void seenBackedOffAndUnknownNgramsScoreAsWorkedOutByHand(@TempDir Path dir) throws IOException {
        NgramLanguageModel lm = TinyLanguageModel.load(dir);
        assertEquals(3, lm.order());
        assertEquals(6, lm.ngramCount(1));
        assertEquals(2, lm.ngramCount(3));
        assertEquals(-0.3 * LN10, afterHistory(lm, "the"), 1e-5);
        assertEquals(-0.1 * LN10, afterHistory(lm, "cat", "the"), 1e-5);
        assertEquals(-1.3 * LN10, afterHistory(lm, "sat", "the"), 1e-5);
        assertEquals(
                -1.3 * LN10,
                lm.score(
                                lm.score(NgramLanguageModel.EMPTY_CONTEXT, lm.wordId("the"))
                                        .state(),
                                -1)
                        .logProb(),
                1e-5,
                "an unknown word scores as <unk> after a backoff");
        assertEquals(-1, lm.wordId("dog"));
        assertEquals(-0.8 * LN10, lm.unigramLogProb(lm.wordId("cat")), 1e-5);
    }

    @Test
    void theStateCarriesTheLongestUsableHistory(@TempDir Path dir) throws IOException {
        NgramLanguageModel lm = TinyLanguageModel.load(dir);
        int state = lm.start();
        double total = 0;
        for (String w : new String[] {"the", "cat", "sat"}) {
            NgramLanguageModel.Step step = lm.score(state, lm.wordId(w));
            total += step.logProb();
            state = step.state();
        }
        total += lm.endLogProb(state);
        assertEquals(-0.95 * LN10, total, 1e-5);
        // the same history reached twice gives the same state: states compare by value
        int again = lm.score(lm.score(lm.start(), lm.wordId("the")).state(), lm.wordId("cat"))
                .state();
        int other = lm.score(
                        lm.score(NgramLanguageModel.EMPTY_CONTEXT, lm.wordId("the"))
                                .state(),
                        lm.wordId("cat"))
                .state();
        assertEquals(again, other, "both histories end in 'the cat', the longest context the model holds");
    }

    @Test
    void gzippedFilesLoadWhateverTheirName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.bin");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(TinyLanguageModel.ARPA.getBytes(StandardCharsets.UTF_8));
        }
        NgramLanguageModel lm = NgramLanguageModel.load(file);
        assertEquals(-1.3 * LN10, afterHistory(lm, "sat", "the"), 1e-5);
        assertTrue(lm.memoryBytes() > 0);
        assertTrue(lm.describe().contains("order 3"), lm.describe());
    }

    /** A pruned file may keep "x y z" without "x y": the context is implied, with backoff 0. */
    @Test
    void anNgramWhoseContextWasPrunedStillScores(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pruned.arpa");
        Files.writeString(file, """
                \\data\\
                ngram 1=3
                ngram 2=0
                ngram 3=1

                \\1-grams:
                -0.5 a -0.2
                -0.5 b -0.1
                -0.5 c

                \\2-grams:

                \\3-grams:
                -0.05 a b c

                \\end\\
                """);
        NgramLanguageModel lm = NgramLanguageModel.load(file);
        assertEquals(-0.05 * LN10, afterHistory(lm, "c", "a", "b"), 1e-5);
        // "b c" is not in the model: backoff(b) -0.1 + unigram c -0.5
        assertEquals(-0.6 * LN10, afterHistory(lm, "c", "b"), 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no data section        | hello world                                                   | 1: no \\data\\ section
            count mismatch         | \\data\\\\nngram 1=2\\n\\1-grams:\\n-1 a\\n\\end\\                  | 5: \\data\\ declares 2 1-grams but the section holds 1
            bad probability        | \\data\\\\nngram 1=1\\n\\1-grams:\\n-x a\\n\\end\\                  | 4: log-probability '-x' is not a number
            positive probability   | \\data\\\\nngram 1=1\\n\\1-grams:\\n0.5 a\\n\\end\\                 | 4: log10 probability 0.5 is above 0
            too many fields        | \\data\\\\nngram 1=1\\n\\1-grams:\\n-1 a b c\\n\\end\\              | 4: a 1-gram line needs a log-probability
            word without unigram   | \\data\\\\nngram 1=1\\nngram 2=1\\n\\1-grams:\\n-1 a\\n\\2-grams:\\n-1 a z\\n\\end\\ | 7: word 'z' has no unigram
            missing end            | \\data\\\\nngram 1=1\\n\\1-grams:\\n-1 a                          | 4: expected \\end\\ after the 1-grams
            duplicate              | \\data\\\\nngram 1=2\\n\\1-grams:\\n-1 a\\n-1 a\\n\\end\\            | 5: n-gram listed twice
            """)
    void aBrokenFileNamesTheFileTheLineAndWhatIsWrong(String name, String content, String expected, @TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("broken.arpa");
        Files.writeString(file, content.replace("\\n", "\n"));
        ArpaFormatException e = assertThrows(ArpaFormatException.class, () -> NgramLanguageModel.load(file));
        assertTrue(
                e.getMessage().startsWith(file + ":" + expected.substring(0, expected.indexOf(':'))), e.getMessage());
        assertTrue(e.getMessage().contains(expected.substring(expected.indexOf(':') + 2)), e.getMessage());
    }
}
