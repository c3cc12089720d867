package io.captioner.asr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
    @ParameterizedTest(name = "{0} Hz -> {1} Hz, tone {2} Hz")
    @CsvSource({
        "8000,16000,1000",
        "16000,8000,1000",
        "44100,16000,3000",
        "16000,44100,2500",
        "48000,16000,440",
        "8000,22050,1200"
    })
    void toneKeepsFrequencyAndLevel(int in, int out, double freq) {
        float[] tone = tone(freq, in, in, 0.5); // one second, amplitude 0.5
        float[] y = resampleInPieces(in, out, tone, 333);
        assertEquals((long) Math.ceil((double) tone.length * out / in), y.length);
        float[] middle = Arrays.copyOfRange(y, out / 4, out / 4 + out / 2); // skip filter edges
        double amplitude = amplitudeAt(middle, freq, out);
        assertEquals(0.5, amplitude, 0.5 * 0.01, "level within 1% (0.1 dB)");
        // the frequency is where the energy is: half a bin away the correlation is much lower
        double strongest = 0;
        double bestFreq = 0;
        for (double f = freq - 20; f <= freq + 20; f += 1) {
            double a = amplitudeAt(middle, f, out);
            if (a > strongest) {
                strongest = a;
                bestFreq = f;
            }
        }
        assertEquals(freq, bestFreq, 1.0);
    }

    @Test
    void upsamplingImagesAreAttenuated() {
        float[] y = resampleInPieces(8000, 16000, tone(1000, 8000, 8000, 0.5), 160);
        float[] middle = Arrays.copyOfRange(y, 4000, 12000);
        double signal = amplitudeAt(middle, 1000, 16000);
        double image = amplitudeAt(middle, 7000, 16000); // 8000 - 1000
        assertTrue(20 * Math.log10(image / signal) < -60, "image at " + 20 * Math.log10(image / signal) + " dB");
    }

    @Test
    void downsamplingAliasesAreAttenuated() {
        // 12 kHz at 44.1 kHz would alias to 4 kHz at 16 kHz; 9 kHz would alias to 7 kHz
        for (double f : new double[] {12000, 9000}) {
            float[] y = resampleInPieces(44100, 16000, tone(f, 44100, 44100, 0.5), 1000);
            float[] middle = Arrays.copyOfRange(y, 4000, 12000);
            double alias = amplitudeAt(middle, 16000 - f, 16000);
            double rms = rms(middle);
            assertTrue(20 * Math.log10(alias / 0.5) < -60, f + " Hz alias at " + 20 * Math.log10(alias / 0.5) + " dB");
            assertTrue(20 * Math.log10(rms / 0.35) < -60, f + " Hz residual " + 20 * Math.log10(rms / 0.35) + " dB");
        }
    }

    @Test
    void streamingInAnyPiecesEqualsOneShot() {
        Random random = new Random(7);
        float[] x = new float[12345];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int[] rates : new int[][] {{8000, 16000}, {44100, 16000}, {16000, 8000}}) {
            float[] whole = resampleInPieces(rates[0], rates[1], x, x.length);
            float[] pieces = resampleInPieces(rates[0], rates[1], x, 97);
            float[] single = resampleInPieces(rates[0], rates[1], x, 1);
            assertArrayEquals(whole, pieces);
            assertArrayEquals(whole, single);
        }
    }

    @Test
    void identityRatioPassesSamplesThroughAfterTheFilterDelay() {
        float[] x = tone(300, 16000, 1600, 0.3);
        float[] y = resampleInPieces(16000, 16000, x, 100);
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-3);
        }
    }

    static float[] resampleInPieces(int in, int out, float[] x, int piece) {
        Resampler r = new Resampler(in, out);
        float[] result = new float[0];
        for (int start = 0; start < x.length; start += piece) {
            result = concat(result, r.process(Arrays.copyOfRange(x, start, Math.min(x.length, start + piece))));
        }
        return concat(result, r.flush());
    }

    static float[] tone(double freq, int rate, int samples, double amplitude) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    /** Amplitude of the component at freq, Hann-windowed to keep leakage from other components low. */
    static double amplitudeAt(float[] x, double freq, int rate) {
        double re = 0;
        double im = 0;
        double windowSum = 0;
        for (int i = 0; i < x.length; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (x.length - 1));
            double phase = 2 * Math.PI * freq * i / rate;
            re += w * x[i] * Math.cos(phase);
            im -= w * x[i] * Math.sin(phase);
            windowSum += w;
        }
        return 2 * Math.hypot(re, im) / windowSum;
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
