package io.captioner.asr.audio;

/**
 * Replaces digital silence (runs of exact zero samples) with faint white noise, as a telephone
 * network's comfort noise does. Taps carry digital silence while a party is muted, on hold or
 * not sending media; its log-mel features lie far below anything a model hears on a real line,
 * and models trained on noisy speech emit stray letters there and never see an endpoint. Any other
 * audio passes unchanged, so outputs on ordinary recordings are exactly those of the export.
 * The noise is deterministic (a fixed-seed generator), so decoding stays reproducible.
 * One instance per stream, not thread-safe.
 */
public final class ComfortNoise {
    /** Shorter zero runs occur in real speech at zero crossings of 8-bit or mu-law sources. */
    static final int MIN_RUN_SAMPLES = 80;
    /** Uniform in ±45: RMS 26, about −62 dBFS, the noise floor of the training channel at 45 dB SNR. */
    static final int AMPLITUDE = 45;

    private long seed = 0x5DEECE66DL;
    private int zerosBefore; // zero samples at the end of what was fed so far

    /** Fills, in place, every sample of {@code samples} that belongs to a zero run of at least MIN_RUN_SAMPLES. */
    public void fill(float[] samples) {
        int i = 0;
        while (i < samples.length) {
            if (samples[i] != 0f) {
                zerosBefore = 0;
                i++;
                continue;
            }
            int end = i;
            while (end < samples.length && samples[end] == 0f) {
                end++;
            }
            int run = zerosBefore + (end - i);
            boolean continues = end == samples.length;
            if (run >= MIN_RUN_SAMPLES) {
                for (int j = i; j < end; j++) {
                    samples[j] = nextNoise();
                }
            }
            zerosBefore = continues ? run : 0;
            i = end;
        }
    }

    private float nextNoise() {
        seed = (seed * 0x5DEECE66DL + 0xBL) & ((1L << 48) - 1);
        int bits = (int) (seed >>> 17);
        return (bits % (2 * AMPLITUDE + 1)) - AMPLITUDE;
    }
}
