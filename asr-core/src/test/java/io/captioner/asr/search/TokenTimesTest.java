package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenTimesTest {

    /**
     * Frames 1, 2, 10, 12 at 40 ms: token 0 starts at max(40 − 100, 0) = 0 and ends at the midpoint
     * with frame 2 (40 ms apart < 100): (1+2)/2 = 1 → 40; token 1 starts at that midpoint (40) and
     * ends at 2·40 = 80 (next is 320 ms away); token 2 starts at 400 − 100 = 300 and ends at the
     * midpoint with frame 12 (80 ms apart): 11·40 = 440; token 3 starts at 440 and ends at 480.
     */
    @Test
    void tokenSpansFollowWenetsRule() {
        long[][] spans = TokenTimes.tokenSpans(new int[] {1, 2, 10, 12}, 40);
        assertArrayEquals(new long[] {0, 40}, spans[0]);
        assertArrayEquals(new long[] {40, 80}, spans[1]);
        assertArrayEquals(new long[] {300, 440}, spans[2]);
        assertArrayEquals(new long[] {440, 480}, spans[3]);
    }

    @Test
    void midpointsAreWholeFrames() {
        // frames 3 and 4 at 60 ms: midpoint (3+4)/2 = 3 frames → 180 ms, as WeNet's integer arithmetic
        long[][] spans = TokenTimes.tokenSpans(new int[] {3, 4}, 60);
        assertArrayEquals(new long[] {80, 180}, spans[0]);
        assertArrayEquals(new long[] {180, 240}, spans[1]);
    }

    /**
     * Units "h i ▁ y o u" at frames 5, 7, 9, 20, 22; offset 10 s. "hi" = tokens 0–1: start
     * 200 − 100 = 100, end midpoint(7, 9) = 8·40 = 320. "you" = tokens 3–4: start 800 − 100 = 700,
     * end 880. Confidences: geometric means of the token posteriors (.5·.8)^½ = .632 and (.9·.4)^½ = .6.
     */
    @Test
    void wordsSpanTheirTokensShiftedByTheUtteranceOffset() {
        SymbolTable units = SymbolTable.parse(
                "u",
                List.of("<blank> 0", "h 1", "i 2", SymbolTable.WORD_START + " 3", "y 4", "o 5", "u 6", "<sos/eos> 7"),
                7,
                7);
        Hypothesis hyp =
                new Hypothesis(new int[] {1, 2, 3, 4, 6}, -3.0, 0.0, null, new int[] {5, 7, 9, 20, 22}, new float[] {
                    (float) Math.log(.5),
                    (float) Math.log(.8),
                    (float) Math.log(.99),
                    (float) Math.log(.9),
                    (float) Math.log(.4)
                });
        List<TimedWord> words = TokenTimes.words(units, hyp, 40, 10_000);
        assertEquals(2, words.size());
        assertEquals("hi", words.get(0).text());
        assertEquals(10_100, words.get(0).startMs());
        assertEquals(10_320, words.get(0).endMs());
        assertEquals(Math.sqrt(.5 * .8), words.get(0).confidence(), 1e-6);
        assertEquals("yu", words.get(1).text());
        assertEquals(10_700, words.get(1).startMs());
        assertEquals(10_880, words.get(1).endMs());
        assertEquals(Math.sqrt(.9 * .4), words.get(1).confidence(), 1e-6);
    }

    @Test
    void fixtureBestHypothesisGetsOrderedWordTimesWithinTheAudio() throws Exception {
        var export = WenetFixtures.exports().get(0);
        var ref = WenetFixtures.reference(export);
        SymbolTable units = WenetFixtures.units(export);
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        float[][] logProbs = WenetFixtures.ctcLogProbs(export, units.size());
        search.advance(logProbs);
        Hypothesis best = search.finalNbest().get(0);
        List<TimedWord> words = TokenTimes.words(units, best, 40, 0);
        assertEquals(
                ref.get("prefix_beam_nbest").get(0).get("text").asText(),
                String.join(" ", words.stream().map(TimedWord::text).toList()));
        long previousEnd = 0;
        for (TimedWord word : words) {
            assertTrue(word.startMs() >= previousEnd && word.endMs() >= word.startMs(), word.toString());
            assertTrue(word.confidence() > 0 && word.confidence() <= 1, word.toString());
            previousEnd = word.endMs();
        }
        assertTrue(previousEnd <= logProbs.length * 40L);
    }
}
