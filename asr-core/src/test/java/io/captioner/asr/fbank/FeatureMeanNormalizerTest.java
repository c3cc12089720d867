package io.captioner.asr.fbank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureMeanNormalizerTest {
    private static final float[] SPEECH_MEAN = {5f, 10f};
    // the training audio's mean frame has mean energy 4: frames above it count as speech
    private static final float[] TRAINING_MEAN = {3f, 5f};

    @Test
    void speechAtTheTrainingMeanStaysWhereItIs() {
        FeatureMeanNormalizer n = new FeatureMeanNormalizer(TRAINING_MEAN, SPEECH_MEAN, 0.5, 100);
        float[][] frames = {{5f, 10f}, {5f, 10f}};
        n.apply(frames);
        assertArrayEquals(new float[] {5f, 10f}, frames[1]);
    }

    @Test
    void aShiftedLegIsMovedBackByTheStrengthOnceItsMeanOutweighsThePrior() {
        FeatureMeanNormalizer n = new FeatureMeanNormalizer(TRAINING_MEAN, SPEECH_MEAN, 0.5, 10);
        float[][] first = {{7f, 12f}};
        n.apply(first);
        // mean after one frame: (10·5 + 7) / 11 for the first bin, shift 2/11, half of it taken off
        assertEquals(7f - 0.5f * (2f / 11f), first[0][0], 1e-5);
        n.apply(repeated(new float[] {7f, 12f}, 10_000));
        float[][] next = {{7f, 12f}};
        n.apply(next);
        assertEquals(6f, next[0][0], 0.01); // the leg's +2 shift, half taken off
        assertEquals(11f, next[0][1], 0.01);
    }

    @Test
    void silenceDoesNotDragTheLegsMean() {
        FeatureMeanNormalizer n = new FeatureMeanNormalizer(TRAINING_MEAN, SPEECH_MEAN, 0.5, 10);
        n.apply(repeated(new float[] {1f, 2f}, 10_000)); // mean energy 1.5: below the gate
        float[][] speech = {{5f, 10f}};
        n.apply(speech);
        assertArrayEquals(new float[] {5f, 10f}, speech[0], 1e-5f);
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(
                "strength must lie in (0, 1] and prior frames be 1 or more, got 1.5 and 10",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new FeatureMeanNormalizer(TRAINING_MEAN, SPEECH_MEAN, 1.5, 10))
                        .getMessage());
    }

    private static float[][] repeated(float[] frame, int times) {
        float[][] frames = new float[times][];
        for (int i = 0; i < times; i++) {
            frames[i] = frame.clone();
        }
        return frames;
    }
}
