package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfidenceTest {

    private static float[][] peakedFrames(double peak) {
        // three tokens a, b, a with blanks between; each token frame gives the token `peak`
        double rest = (1 - peak) / 2;
        float[] tokenA = {(float) Math.log(rest), (float) Math.log(peak), (float) Math.log(rest)};
        float[] tokenB = {(float) Math.log(rest), (float) Math.log(rest), (float) Math.log(peak)};
        float[] blank = {(float) Math.log(peak), (float) Math.log(rest), (float) Math.log(rest)};
        return new float[][] {tokenA, blank, tokenB, blank, tokenA};
    }

    private static Hypothesis decode(double peak) {
        CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
        search.advance(peakedFrames(peak));
        return search.finalNbest().get(0);
    }

    @Test
    void confidentDecodeScoresHigherThanUnsureOne() {
        Hypothesis sure = decode(0.98);
        Hypothesis unsure = decode(0.5);
        assertEquals(3, sure.tokens().length);
        assertEquals(3, unsure.tokens().length);
        assertEquals(0.98, sure.confidence(), 1e-5, "each token's posterior at its frame is .98");
        assertEquals(0.5, unsure.confidence(), 1e-5);
        assertTrue(sure.confidence() > unsure.confidence());
    }

    @Test
    void geometricMeanStaysInUnitIntervalAndEmptyIsZero() {
        float[] logProbs = {(float) Math.log(.9), (float) Math.log(.1), 0f};
        assertEquals(Math.cbrt(.9 * .1), Confidence.geometricMean(logProbs, 0, 3), 1e-6);
        assertEquals(0.0, Confidence.geometricMean(logProbs, 1, 1));
        assertEquals(1.0, Confidence.geometricMean(new float[] {0f}, 0, 1));
        assertEquals(0.0, Confidence.geometricMean(new float[] {Float.NEGATIVE_INFINITY}, 0, 1));
        assertEquals(0.0, new Hypothesis(new int[0], 0, 0, null, new int[0], new float[0]).confidence());
    }
}
