package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.lm.NgramLanguageModel;
import io.captioner.asr.lm.VocabularyTrie;
import io.captioner.asr.testing.TinyLanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shallow fusion in the prefix beam search, with the hand-written trigram of
 * {@link TinyLanguageModel} (words the, cat, sat) and WeNet's English char units. The crafted
 * posteriors spell "the ?at", one frame per unit with blank at 0.1, where the ? frame says k 0.5,
 * c 0.4: acoustically "the kat" wins by ln(0.5/0.4) = 0.22. With the LM, "k" leaves the
 * vocabulary (look-ahead: the unknown-word penalty, −5) while "c" can still become "cat", so the
 * in-vocabulary "the cat" wins, partial and final.
 */
class LanguageModelSearchTest {
    private static final LanguageModelFusion.Weights WEIGHTS = new LanguageModelFusion.Weights(0.5, 1.0, -5.0, 0.3);

    private SymbolTable units;
    private LanguageModelFusion fusion;

    @BeforeEach
    void setUp(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(List.of("<blank> 0", "<unk> 1", "<sos/eos> 2", "' 3", "\u2581 4"));
        for (char c = 'a'; c <= 'z'; c++) {
            lines.add(c + " " + (5 + c - 'a'));
        }
        units = SymbolTable.parse("units.txt", lines, 2, 2);
        NgramLanguageModel lm = TinyLanguageModel.load(dir);
        fusion = new LanguageModelFusion(lm, VocabularyTrie.of(lm), units, WEIGHTS);
    }

    private int unit(String symbol) {
        return units.idOf(symbol);
    }

    /** One frame per entry: {unit: probability, ...}, blank 0.1, every other unit 1e-4. */
    private float[][] frames(String... spec) {
        float[][] out = new float[spec.length][];
        for (int f = 0; f < spec.length; f++) {
            float[] row = new float[units.size()];
            Arrays.fill(row, (float) Math.log(1e-4));
            row[0] = (float) Math.log(0.1);
            for (String part : spec[f].split(",")) {
                String[] kv = part.split("=");
                row[unit(kv[0])] = (float) Math.log(Double.parseDouble(kv[1]));
            }
            out[f] = row;
        }
        return out;
    }

    private float[][] theKatOrCat() {
        return frames("t=0.9", "h=0.9", "e=0.9", "\u2581=0.9", "k=0.5,c=0.4", "a=0.9", "t=0.9");
    }

    private String text(Hypothesis h) {
        return units.detokenize(h.tokens());
    }

    @Test
    void withoutTheLanguageModelTheMisspellingWins() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(theKatOrCat());
        assertEquals("the kat", text(search.best()));
    }

    @Test
    void theLanguageModelTurnsTheMisspeltBestPathIntoTheKnownWord() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        search.advance(theKatOrCat());
        assertEquals("the cat", text(search.best()), "partial");
        Hypothesis best = search.finalNbest().get(0);
        assertEquals("the cat", text(best), "final");
        // the final LM state holds the sentence's log-probability with </s>: -0.3 -0.1 -0.5 (log10)
        // (no trigram "the cat </s>", backoff("the cat") -0.25, bigram "cat </s>" absent, backoff(cat) -0.2,
        // unigram </s> -0.7)
        double expected = (-0.3 - 0.1 - 0.25 - 0.2 - 0.7) * Math.log(10);
        assertEquals(expected, best.lm().logProb(), 1e-4);
        assertEquals(2, best.lm().words());
        assertEquals(0, best.lm().unknownWords());
        Hypothesis kat = search.finalNbest().stream()
                .filter(h -> text(h).equals("the kat"))
                .findFirst()
                .orElseThrow();
        assertEquals(1, kat.lm().unknownWords());
        assertTrue(kat.ctcScore() > best.ctcScore(), "the acoustics still prefer 'kat'");
    }

    @Test
    void aWordBeingSpeltOutsideTheVocabularyIsPenalisedAtOnce() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        search.advance(frames("k=0.9"));
        Hypothesis k = search.nbest().stream()
                .filter(h -> text(h).equals("k"))
                .findFirst()
                .orElseThrow();
        assertEquals("", text(search.best()), "ln 0.9 - 5 loses to the empty prefix's ln 0.1");
        assertEquals(WEIGHTS.unknownWordPenalty(), k.lm().score(), 1e-9);
        CtcPrefixBeamSearch known = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        known.advance(frames("c=0.9"));
        assertEquals("c", text(known.best()));
        assertEquals(0.5 * -0.8 * Math.log(10), known.best().lm().score(), 1e-5, "look-ahead: the best word below 'c'");
    }

    @Test
    void theLanguageModelStateTravelsAcrossChunksAndResetStartsASentenceAgain() {
        CtcPrefixBeamSearch whole = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        whole.advance(theKatOrCat());
        CtcPrefixBeamSearch chunked = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        float[][] frames = theKatOrCat();
        for (int start = 0; start < frames.length; start += 3) {
            chunked.advance(Arrays.copyOfRange(frames, start, Math.min(frames.length, start + 3)));
        }
        assertEquals(scores(whole.finalNbest()), scores(chunked.finalNbest()));

        chunked.reset();
        chunked.advance(theKatOrCat());
        assertEquals(
                scores(whole.finalNbest()), scores(chunked.finalNbest()), "after a reset the history is <s> again");
    }

    private List<String> scores(List<Hypothesis> nbest) {
        return nbest.stream()
                .map(h -> text(h) + String.format(" %.6f", h.rankingScore()))
                .toList();
    }

    /**
     * Hotword "kat" (3 units at +3): its bonus of 9 outweighs what the LM takes from an unknown
     * word (penalty −5, its look-ahead and the bonus it forgoes), so the two add up and the hotword wins.
     */
    @Test
    void hotwordsAndTheLanguageModelAddUp() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS, fusion);
        search.setContextGraph(ContextGraph.build(List.of("kat"), units, 3.0));
        search.advance(theKatOrCat());
        Hypothesis best = search.finalNbest().get(0);
        assertEquals("the kat", text(best));
        assertEquals(9.0, best.contextScore(), 1e-9);
        assertEquals(best.ctcScore() + best.contextScore() + best.lm().score(), best.rankingScore(), 1e-9);
        assertArrayEquals(
                new int[] {unit("t"), unit("h"), unit("e"), unit("\u2581"), unit("k"), unit("a"), unit("t")},
                best.tokens());
    }
}
