package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit ids 1..5 stand for a..e; boost 3. */
class ContextGraphTest {
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;
    private static final int D = 4;
    private static final int E = 5;

    /** Feeds units from the root; returns {final state, accumulated score}. */
    private static double[] run(ContextGraph graph, int... units) {
        int state = ContextGraph.ROOT;
        double score = 0;
        for (int unit : units) {
            ContextGraph.Step step = graph.step(state, unit);
            state = step.state();
            score += step.score();
        }
        return new double[] {state, score};
    }

    @Test
    void eachMatchedUnitEarnsTheBoostAndACompletedPhraseKeepsIt() {
        ContextGraph graph = ContextGraph.ofUnits(List.of(new int[] {A, B, C}), 3.0);
        assertEquals(3.0, run(graph, A)[1]);
        assertEquals(6.0, run(graph, A, B)[1]);
        double[] complete = run(graph, A, B, C);
        assertEquals(9.0, complete[1]);
        assertEquals(ContextGraph.ROOT, (int) complete[0], "a completed phrase returns to the root");
        // text after the phrase does not take the bonus away
        assertEquals(9.0, run(graph, A, B, C, E, E)[1]);
        assertEquals(0.0, graph.finish(ContextGraph.ROOT));
    }

    @Test
    void brokenPartialMatchGivesItsBonusBack() {
        ContextGraph graph = ContextGraph.ofUnits(List.of(new int[] {A, B, C}), 3.0);
        // a b (+6) then e: nothing matches, back to the root, -6
        double[] broken = run(graph, A, B, E);
        assertEquals(0.0, broken[1]);
        assertEquals(ContextGraph.ROOT, (int) broken[0]);
        // a b then a: -6 for the broken match, +3 for the new start
        assertEquals(3.0, run(graph, A, B, A)[1]);
    }

    @Test
    void finishBacksOffAnUnfinishedMatch() {
        ContextGraph graph = ContextGraph.ofUnits(List.of(new int[] {A, B, C}), 3.0);
        int afterAb = (int) run(graph, A, B)[0];
        assertEquals(-6.0, graph.finish(afterAb));
    }

    /**
     * Phrases "abcd" and "bc": after "abc" (+9) an "e" breaks the long match; the failure link
     * falls back onto "bc", which is complete, so exactly its bonus (6) stays: step score -3.
     * After "ab" a "c"... is the long phrase's path; "ab" then "d" falls back onto "b" (-3) which
     * cannot continue with d either (-3): 0 left.
     */
    @Test
    void failureLinksKeepTheLongestMatchingSuffix() {
        ContextGraph graph = ContextGraph.ofUnits(List.of(new int[] {A, B, C, D}, new int[] {B, C}), 3.0);
        assertEquals(9.0, run(graph, A, B, C)[1]);
        assertEquals(6.0, run(graph, A, B, C, E)[1]);
        assertEquals(12.0, run(graph, A, B, C, D)[1]);
        assertEquals(0.0, run(graph, A, B, D)[1]);
        // "a b" then "b c": the break at the second b keeps the suffix "b" (+3) and completes "bc"
        assertEquals(6.0, run(graph, A, B, B, C)[1]);
        int afterAbc = (int) run(graph, A, B, C)[0];
        assertEquals(-3.0, graph.finish(afterAbc), "finishing inside abcd keeps the completed bc");
    }

    @Test
    void completedShorterPhraseKeepsItsBonusWhenALongerOneBreaks() {
        ContextGraph graph = ContextGraph.ofUnits(List.of(new int[] {A, B}, new int[] {A, B, C}), 3.0);
        double[] ab = run(graph, A, B);
        assertNotEquals(ContextGraph.ROOT, (int) ab[0], "ab may still grow into abc");
        assertEquals(6.0, ab[1]);
        assertEquals(6.0, run(graph, A, B, E)[1]);
        assertEquals(0.0, graph.finish((int) ab[0]));
        assertEquals(9.0, run(graph, A, B, C)[1]);
    }

    @Test
    void buildsFromTextWithTheUnits() {
        SymbolTable units = SymbolTable.parse(
                "test-units", List.of("<blank> 0", "<unk> 1", "<sos/eos> 2", "\u2581 3", "a 4", "b 5", "c 6"), 2, 2);
        ContextGraph graph = ContextGraph.build(List.of("ab c", "ca"), units, ContextGraph.DEFAULT_BOOST);
        assertEquals(2, graph.phraseCount());
        assertEquals(3.0, graph.boost());
        // "ab c" is a b ▁ c: four units, 12 when complete
        assertEquals(12.0, run(graph, 4, 5, 3, 6)[1]);
    }

    @Test
    void rejectsBadPhrasesAndBoosts() {
        assertThrows(IllegalArgumentException.class, () -> ContextGraph.ofUnits(List.of(new int[0]), 3.0));
        IllegalArgumentException blank = assertThrows(
                IllegalArgumentException.class, () -> ContextGraph.ofUnits(List.of(new int[] {A, 0}), 3.0));
        assertTrue(blank.getMessage().contains("phrase 0"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContextGraph.ofUnits(List.of(new int[] {A}), 0.0));
        assertThrows(IllegalArgumentException.class, () -> ContextGraph.ofUnits(List.of(new int[] {A}), Double.NaN));
    }
}
