package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** WeNet's rules at subsampling 4: 40 ms a frame, so 1 s = 25 frames, 5 s = 125, 20 s = 500. */
class EndpointerTest {
    private static final int FRAME_MS = Endpointer.frameShiftMs(4);

    private static float[][] frames(int count, double blankProb) {
        float[][] rows = new float[count][3];
        for (float[] row : rows) {
            row[0] = (float) Math.log(blankProb);
            row[1] = (float) Math.log((1 - blankProb) / 2);
            row[2] = row[1];
        }
        return rows;
    }

    private static float[][] silence(int count) {
        return frames(count, 0.95);
    }

    private static float[][] speech(int count) {
        return frames(count, 0.1);
    }

    @Test
    void frameShiftIsTenMsTimesSubsampling() {
        assertEquals(40, Endpointer.frameShiftMs(4));
        assertEquals(60, Endpointer.frameShiftMs(6));
        assertEquals(80, Endpointer.frameShiftMs(8));
    }

    @Test
    void rule2FiresAfterOneSecondOfSilenceOnceSomethingWasDecoded() {
        Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, FRAME_MS);
        assertEquals(Optional.empty(), endpointer.advance(speech(10), true));
        assertEquals(Optional.empty(), endpointer.advance(silence(24), true));
        assertEquals(960, endpointer.trailingSilenceMs());
        assertEquals(Optional.of(EndpointRule.TRAILING_SILENCE), endpointer.advance(silence(1), true));
        assertEquals(1000, endpointer.trailingSilenceMs());
        assertEquals(1400, endpointer.utteranceMs());
    }

    @Test
    void rule1NeedsFiveSecondsWhenNothingWasDecoded() {
        Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, FRAME_MS);
        assertEquals(Optional.empty(), endpointer.advance(silence(124), false));
        assertEquals(Optional.of(EndpointRule.LONG_SILENCE), endpointer.advance(silence(1), false));
    }

    @Test
    void rule3EndsAnUtteranceOfTwentySecondsEvenWithoutPause() {
        Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, FRAME_MS);
        for (int chunk = 0; chunk < 31; chunk++) {
            assertEquals(Optional.empty(), endpointer.advance(speech(16), true), "chunk " + chunk);
        }
        assertEquals(19840, endpointer.utteranceMs());
        assertEquals(Optional.of(EndpointRule.MAX_UTTERANCE), endpointer.advance(speech(4), true));
    }

    @Test
    void speechInterruptsTrailingSilence() {
        Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, FRAME_MS);
        endpointer.advance(silence(20), true);
        endpointer.advance(speech(1), true);
        assertEquals(0, endpointer.trailingSilenceMs());
        assertEquals(Optional.empty(), endpointer.advance(silence(20), true));
        assertEquals(800, endpointer.trailingSilenceMs());
    }

    @Test
    void silenceMeansBlankProbabilityAboveThreshold() {
        Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, FRAME_MS);
        endpointer.advance(frames(1, 0.79), true);
        assertEquals(0, endpointer.trailingSilenceMs());
        endpointer.advance(frames(1, 0.81), true);
        assertEquals(40, endpointer.trailingSilenceMs());
    }

    @Test
    void rulesAreConfigurable() {
        Endpointer endpointer = new Endpointer(new EndpointRules(2000, 200, 1000, 0.5), 60);
        assertEquals(Optional.empty(), endpointer.advance(frames(3, 0.6), true));
        assertEquals(Optional.of(EndpointRule.TRAILING_SILENCE), endpointer.advance(frames(1, 0.6), true));
        endpointer.reset();
        assertEquals(0, endpointer.utteranceMs());
        assertEquals(Optional.empty(), endpointer.advance(speech(16), false));
        assertEquals(Optional.of(EndpointRule.MAX_UTTERANCE), endpointer.advance(speech(1), false));
    }

    @Test
    void badConfigurationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EndpointRules(0, 1000, 20000, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new EndpointRules(5000, 1000, 20000, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Endpointer(EndpointRules.DEFAULTS, 0));
    }
}
