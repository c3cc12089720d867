package io.captioner.connector;

/** Power of one frequency in a block of samples (Goertzel filter). */
public final class Goertzel {
    private Goertzel() {}

    public static double power(short[] samples, int from, int to, double frequency, int sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / Math.max(1, to - from);
    }

    /** Ratio (in dB) of the power at {@code wanted} to the power at {@code other}. */
    public static double dominanceDb(short[] samples, double wanted, double other, int sampleRate) {
        double w = power(samples, 0, samples.length, wanted, sampleRate);
        double o = power(samples, 0, samples.length, other, sampleRate);
        return 10 * Math.log10((w + 1e-9) / (o + 1e-9));
    }
}
