package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed cases over a vocabulary {0 = blank, 1 = a, 2 = b}. */
class CtcPrefixBeamSearchTest {
    private static final int A = 1;
    private static final int B = 2;

    static float[] frame(double blank, double a, double b) {
        return new float[] {(float) Math.log(blank), (float) Math.log(a), (float) Math.log(b)};
    }

    /**
     * Two frames, P(ε, a, b) = (.5, .3, .2) then (.4, .5, .1). With every prefix kept the search is
     * exact; the prefix probabilities are sums over the 9 paths:
     * <pre>
     *   ""  : εε = .20
     *   "a" : aε .12 + εa .25 + aa .15 = .52
     *   "b" : bε .08 + εb .05 + bb .02 = .15
     *   "ba": ba = .2·.5 = .10
     *   "ab": ab = .3·.1 = .03      (total 1.00)
     * </pre>
     * Times come from each prefix's best single path: "a" ← εa (.25 beats aε .12 and aa .15) so
     * frame 1; "b" ← bε (.08 beats εb .05, bb .02) so frame 0; "ba", "ab" at frames 0 and 1.
     */
    @Test
    void twoFramesGiveExactPrefixProbabilitiesAndViterbiTimes() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(new SearchOptions(10, 3));
        search.advance(new float[][] {frame(.5, .3, .2), frame(.4, .5, .1)});

        List<Hypothesis> nbest = search.nbest();
        int[][] tokens = {{A}, {}, {B}, {B, A}, {A, B}};
        double[] probs = {.52, .20, .15, .10, .03};
        int[][] times = {{1}, {}, {0}, {0, 1}, {0, 1}};
        assertEquals(tokens.length, nbest.size());
        for (int i = 0; i < tokens.length; i++) {
            assertArrayEquals(tokens[i], nbest.get(i).tokens(), "tokens " + i);
            assertEquals(Math.log(probs[i]), nbest.get(i).ctcScore(), 1e-6, "score " + i);
            assertArrayEquals(times[i], nbest.get(i).tokenFrames(), "times " + i);
        }
        // per-token posteriors at the recorded frames: "a" at frame 1 is .5, "b" at frame 0 is .2
        assertEquals(Math.log(.5), nbest.get(0).tokenLogProbs()[0], 1e-6);
        assertEquals(Math.log(.2), nbest.get(2).tokenLogProbs()[0], 1e-6);
        assertEquals(0.5, nbest.get(0).confidence(), 1e-6);
    }

    /**
     * The same token twice needs a blank between: P(ε, a, b) = (.05, .9, .05), (.9, .05, .05),
     * (.05, .9, .05). "aa" has the single path aεa = .9·.9·.9 = .729; "a" collects aaa .0405 +
     * aaε .00225 + aεε .0405 + εaa .00225 + εεa .0405 + εaε .000125 = .126125.
     */
    @Test
    void repeatedTokenNeedsBlankInBetween() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(new SearchOptions(10, 3));
        search.advance(new float[][] {frame(.05, .9, .05), frame(.9, .05, .05), frame(.05, .9, .05)});

        Hypothesis best = search.best();
        assertArrayEquals(new int[] {A, A}, best.tokens());
        assertEquals(Math.log(.729), best.ctcScore(), 1e-6);
        assertArrayEquals(new int[] {0, 2}, best.tokenFrames());
        Hypothesis single = search.nbest().stream()
                .filter(h -> h.tokens().length == 1 && h.tokens()[0] == A)
                .findFirst()
                .orElseThrow();
        assertEquals(Math.log(.126125), single.ctcScore(), 1e-6);
    }

    /**
     * A token held over two frames, P(ε, a, b) = (.05, .9, .05) then (.35, .6, .05). The best path
     * of "a" is "aa" (.54 beats εa .03 and aε .315), so WeNet's rule records frame 1, the last frame
     * of the run, even though the peak (.9) is at frame 0; the token's posterior is the peak .9.
     */
    @Test
    void tokenTimeIsTheLastFrameOfTheRunAndItsPosteriorThePeak() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(new float[][] {frame(.05, .9, .05), frame(.35, .6, .05)});
        Hypothesis best = search.best();
        assertArrayEquals(new int[] {A}, best.tokens());
        assertArrayEquals(new int[] {1}, best.tokenFrames());
        assertEquals(Math.log(.9), best.tokenLogProbs()[0], 1e-6);
        // "a" = aa .54 + aε .315 + εa .03 = .885
        assertEquals(Math.log(.885), best.ctcScore(), 1e-6);
    }

    /** With a first beam of 1 only the frame's best token extends the prefixes. */
    @Test
    void firstBeamLimitsCandidateTokens() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(new SearchOptions(10, 1));
        search.advance(new float[][] {frame(.5, .3, .2), frame(.4, .5, .1)});
        // frame 0 keeps only ε, frame 1 only a: prefixes "a" (ε a = .25)
        List<Hypothesis> nbest = search.nbest();
        assertEquals(1, nbest.size());
        assertArrayEquals(new int[] {A}, nbest.get(0).tokens());
        assertEquals(Math.log(.25), nbest.get(0).ctcScore(), 1e-6);
    }

    /** A beam of 2 keeps only the two best prefixes after each frame. */
    @Test
    void beamKeepsOnlyBestPrefixes() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(new SearchOptions(2, 3));
        search.advance(new float[][] {frame(.5, .3, .2)});
        // after frame 0: "" .5, "a" .3 ("b" .2 is pruned)
        search.advance(new float[][] {frame(.4, .5, .1)});
        // from "" and "a" only: "a" = .5·.5 + .3·.4 + .3·.5 = .52, "" = .20, "ab" = .03; "b" = .05
        List<Hypothesis> nbest = search.nbest();
        assertEquals(2, nbest.size());
        assertArrayEquals(new int[] {A}, nbest.get(0).tokens());
        assertEquals(Math.log(.52), nbest.get(0).ctcScore(), 1e-6);
        assertArrayEquals(new int[] {}, nbest.get(1).tokens());
        assertEquals(Math.log(.20), nbest.get(1).ctcScore(), 1e-6);
    }

    @Test
    void resetStartsAnUtteranceAtFrameZero() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(new float[][] {frame(.05, .9, .05), frame(.9, .05, .05)});
        assertEquals(2, search.framesSearched());
        search.reset();
        assertEquals(0, search.framesSearched());
        assertArrayEquals(new int[] {}, search.best().tokens());
        assertEquals(0.0, search.best().ctcScore());
        search.advance(new float[][] {frame(.05, .05, .9)});
        assertArrayEquals(new int[] {B}, search.best().tokens());
        assertArrayEquals(new int[] {0}, search.best().tokenFrames());
    }

    @Test
    void emptyFrameRowIsRejected() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> search.advance(new float[][] {new float[0]}));
        assertEquals("frame 0 has an empty log-probability row", e.getMessage());
    }

    @Test
    void topKOrdersByValueThenIndex() {
        assertArrayEquals(new int[] {2, 0, 3}, CtcPrefixBeamSearch.topK(new float[] {1f, 0f, 5f, 1f}, 3));
        assertArrayEquals(new int[] {1, 0}, CtcPrefixBeamSearch.topK(new float[] {-2f, -1f}, 2));
    }
}
