package io.captioner.asr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ComfortNoiseTest {
    @Test
    void longZeroRunsBecomeFaintNoiseAndEverythingElseIsUntouched() {
        float[] samples = new float[4000];
        for (int i = 0; i < 1000; i++) {
            samples[i] = (float) (3000 * Math.sin(i * 0.3)); // speech-like; its zero crossings are isolated
        }
        samples[1500] = 7; // inside digital silence: splits it into two long runs
        float[] shortGap = new float[ComfortNoise.MIN_RUN_SAMPLES - 1];
        float[] original = samples.clone();

        new ComfortNoise().fill(samples);
        new ComfortNoise().fill(shortGap);

        assertArrayEquals(Arrays.copyOf(original, 1000), Arrays.copyOf(samples, 1000), "non-silent audio is unchanged");
        assertEquals(7f, samples[1500]);
        assertArrayEquals(new float[ComfortNoise.MIN_RUN_SAMPLES - 1], shortGap, "short zero runs stay");
        double power = 0;
        int zeros = 0;
        for (int i = 1000; i < 4000; i++) {
            assertTrue(Math.abs(samples[i]) <= ComfortNoise.AMPLITUDE, "sample " + i + " = " + samples[i]);
            power += samples[i] * samples[i];
            zeros += samples[i] == 0 ? 1 : 0;
        }
        double rms = Math.sqrt(power / 3000);
        assertTrue(rms > 20 && rms < 32, "comfort noise RMS " + rms);
        assertTrue(zeros < 3000 / 40, zeros + " zero samples left in digital silence");
    }

    @Test
    void aRunSplitAcrossPiecesIsFilledOnceItIsLongEnough() {
        ComfortNoise noise = new ComfortNoise();
        float[] first = new float[50];
        first[0] = 100;
        float[] second = new float[60];
        noise.fill(first);
        noise.fill(second);
        assertArrayEquals(
                Arrays.copyOfRange(new float[50], 1, 50),
                Arrays.copyOfRange(first, 1, 50),
                "49 zeros alone are not digital silence yet");
        assertTrue(Arrays.stream(toDoubles(second)).anyMatch(v -> v != 0), "49 + 60 zeros are");
    }

    @Test
    void theNoiseIsTheSameOnEveryRun() {
        float[] a = new float[500];
        float[] b = new float[500];
        new ComfortNoise().fill(a);
        new ComfortNoise().fill(b);
        assertArrayEquals(a, b);
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
