package io.captioner.asr.fbank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureMeanNormalizerTest {
    private static final float[] TRAINING_MEAN = {5f, 10f};

    @Test
    void framesAtTheTrainingMeanStayWhereTheyAre() {
        FeatureMeanNormalizer n = new FeatureMeanNormalizer(TRAINING_MEAN, 0.5, 100);
        float[][] frames = {{5f, 10f}, {5f, 10f}};
        n.apply(frames);
        assertArrayEquals(new float[] {5f, 10f}, frames[1]);
    }

    @Test
    void aShiftedLegIsMovedBackByTheStrengthOnceItsMeanOutweighsThePrior() {
        FeatureMeanNormalizer n = new FeatureMeanNormalizer(TRAINING_MEAN, 0.5, 10);
        float[][] first = {{7f, 12f}};
        n.apply(first);
        // mean after one frame: (10·5 + 7) / 11 for the first bin, shift 2/11, half of it taken off
        assertEquals(7f - 0.5f * (2f / 11f), first[0][0], 1e-5);
        float[][] later = new float[10_000][];
        for (int i = 0; i < later.length; i++) {
            later[i] = new float[] {7f, 12f};
        }
        n.apply(later);
        float[] last = later[later.length - 1];
        assertEquals(6f, last[0], 0.01); // the leg's +2 shift, half taken off
        assertEquals(11f, last[1], 0.01);
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(
                "strength must lie in (0, 1] and prior frames be 1 or more, got 1.5 and 10",
                assertThrows(IllegalArgumentException.class, () -> new FeatureMeanNormalizer(TRAINING_MEAN, 1.5, 10))
                        .getMessage());
    }
}
