package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Context biasing inside the prefix beam search. Vocabulary {0 blank, 1 a, 2 b, 3 c}; frames
 * P(ε, a, b, c) = (.05, .9, .025, .025) then (.08, .02, .4, .5). Acoustically "ac" (.9·.5 = .45)
 * beats "ab" (.9·.4 = .36) by ln(.45/.36) = 0.22.
 */
class HotwordSearchTest {
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;

    private static float[][] frames() {
        return new float[][] {
            {(float) Math.log(.05), (float) Math.log(.9), (float) Math.log(.025), (float) Math.log(.025)},
            {(float) Math.log(.08), (float) Math.log(.02), (float) Math.log(.4), (float) Math.log(.5)},
        };
    }

    @Test
    void withoutHotwordsTheAcousticallyBetterPrefixWins() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(frames());
        assertArrayEquals(new int[] {A, C}, search.best().tokens());
        assertEquals(Math.log(.45), search.best().ctcScore(), 1e-6);
    }

    @Test
    void boostedPhraseBeatsSlightlyBetterCompetitorAndKeepsItsPureCtcScore() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.setContextGraph(ContextGraph.ofUnits(List.of(new int[] {A, B}), 3.0));
        search.advance(frames());

        for (List<Hypothesis> nbest : List.of(search.nbest(), search.finalNbest())) {
            Hypothesis best = nbest.get(0);
            assertArrayEquals(new int[] {A, B}, best.tokens());
            assertEquals(Math.log(.36), best.ctcScore(), 1e-6, "reported CTC score has no bonus");
            assertEquals(6.0, best.contextScore(), 1e-9);
            assertEquals(Math.log(.36) + 6.0, best.rankingScore(), 1e-6);
        }
    }

    /**
     * Hotword "abc" (3 units): the decoded "ab" holds a provisional +6 and leads the partial
     * ranking, but the match is never completed, so the final ranking takes the 6 back and "ac"
     * wins again.
     */
    @Test
    void unfinishedMatchGivesItsBonusBackAtTheEnd() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.setContextGraph(ContextGraph.ofUnits(List.of(new int[] {A, B, C}), 3.0));
        search.advance(frames());

        assertArrayEquals(new int[] {A, B}, search.best().tokens());
        assertEquals(6.0, search.best().contextScore(), 1e-9);

        List<Hypothesis> finals = search.finalNbest();
        assertArrayEquals(new int[] {A, C}, finals.get(0).tokens());
        Hypothesis ab = finals.stream()
                .filter(h -> java.util.Arrays.equals(h.tokens(), new int[] {A, B}))
                .findFirst()
                .orElseThrow();
        assertEquals(0.0, ab.contextScore(), 1e-9);
        // finalNbest does not change the search: the partial view still holds the bonus
        assertEquals(6.0, search.best().contextScore(), 1e-9);
    }

    /** A third frame that is clearly "a" breaks the "ab·c" match mid-stream: -6, then +3 anew. */
    @Test
    void matchBrokenMidStreamGivesItsBonusBack() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.setContextGraph(ContextGraph.ofUnits(List.of(new int[] {A, B, C}), 3.0));
        search.advance(frames());
        search.advance(new float[][] {
            {(float) Math.log(.01), (float) Math.log(.97), (float) Math.log(.01), (float) Math.log(.01)}
        });
        Hypothesis aba = search.nbest().stream()
                .filter(h -> java.util.Arrays.equals(h.tokens(), new int[] {A, B, A}))
                .findFirst()
                .orElseThrow();
        assertEquals(3.0, aba.contextScore(), 1e-9);
        Hypothesis finalAba = search.finalNbest().stream()
                .filter(h -> java.util.Arrays.equals(h.tokens(), new int[] {A, B, A}))
                .findFirst()
                .orElseThrow();
        assertEquals(0.0, finalAba.contextScore(), 1e-9);
    }

    @Test
    void hotwordsChangeMidStreamWithoutRestarting() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(frames());
        assertArrayEquals(new int[] {A, C}, search.best().tokens());

        search.setContextGraph(ContextGraph.ofUnits(List.of(new int[] {A, B}), 3.0));
        assertArrayEquals(new int[] {A, B}, search.best().tokens(), "beam re-ranked with the new graph");
        assertEquals(6.0, search.best().contextScore(), 1e-9);

        search.setContextGraph(null);
        assertNull(search.contextGraph());
        assertArrayEquals(new int[] {A, C}, search.best().tokens());
        assertEquals(0.0, search.best().contextScore());
    }

    @Test
    void resetKeepsTheStreamsHotwords() {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.setContextGraph(ContextGraph.ofUnits(List.of(new int[] {A, B}), 3.0));
        search.advance(frames());
        search.reset();
        search.advance(frames());
        assertArrayEquals(new int[] {A, B}, search.best().tokens());
    }
}
