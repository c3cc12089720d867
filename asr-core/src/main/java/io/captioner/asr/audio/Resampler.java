package io.captioner.asr.audio;

import java.util.Arrays;

/**
 * Streaming band-limited resampler for any rational rate ratio: a polyphase Kaiser-windowed sinc
 * filter. The low-pass cut-off sits at 90% of the lower of the two Nyquist frequencies, so images
 * (upsampling) and aliases (downsampling) are attenuated by roughly 80 dB. State is carried
 * between calls: feeding a signal in pieces gives exactly the output of feeding it at once.
 * Not thread-safe; one instance per stream.
 */
public final class Resampler {
    private static final double ROLLOFF = 0.90;
    private static final int ZERO_CROSSINGS = 24;
    private static final double KAISER_BETA = 7.857; // about 80 dB stop-band attenuation

    private final int inRate;
    private final int outRate;
    private final int up; // L: output samples per period
    private final int down; // M: input samples per period
    private final int half; // taps on each side of the output instant, in input samples
    private final float[][] phases; // [phase][2*half] coefficients for inputs base-half+1 .. base+half

    private float[] buffer = new float[1024];
    private long bufferStart; // absolute index of buffer[0]
    private int bufferLength;
    private long inputCount;
    private long outputCount;
    private boolean flushed;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double cutoff = ROLLOFF * Math.min(1.0, (double) up / down); // relative to the input Nyquist
        this.half = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        this.phases = new float[up][2 * half];
        double i0Beta = besselI0(KAISER_BETA);
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up;
            for (int j = 0; j < 2 * half; j++) {
                int k = j - half + 1; // input index relative to base
                double x = frac - k; // distance from the output instant, input samples
                double r = x / half;
                double window = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
                phases[p][j] = (float) (cutoff * sinc(cutoff * x) * window);
            }
        }
    }

    public int inputRate() {
        return inRate;
    }

    public int outputRate() {
        return outRate;
    }

    /** Feeds input samples and returns the output samples that are complete so far. */
    public float[] process(float[] input) {
        if (flushed) {
            throw new IllegalStateException("resampler already flushed");
        }
        append(input, input.length);
        inputCount += input.length;
        return produce(inputCount);
    }

    /** Ends the stream: returns the remaining output, so that in total ceil(n·out/in) samples came out. */
    public float[] flush() {
        if (flushed) {
            return new float[0];
        }
        flushed = true;
        long total = (inputCount * up + down - 1) / down;
        append(new float[half + 1], half + 1);
        float[] rest = produce(inputCount + half + 1);
        int keep = (int) Math.max(0, Math.min(rest.length, total - (outputCount - rest.length)));
        return Arrays.copyOf(rest, keep);
    }

    private float[] produce(long available) {
        // output n is complete once input floor(n·M/L) + half has arrived
        long lastBase = available - 1 - half;
        long lastN = lastBase < 0 ? -1 : ((lastBase + 1) * up - 1) / down;
        int count = (int) Math.max(0, lastN + 1 - outputCount);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            long n = outputCount + i;
            long pos = n * down;
            long base = pos / up;
            float[] taps = phases[(int) (pos % up)];
            long first = base - half + 1;
            double acc = 0;
            for (int j = 0; j < taps.length; j++) {
                long k = first + j;
                if (k >= bufferStart) {
                    acc += taps[j] * buffer[(int) (k - bufferStart)];
                }
            }
            out[i] = (float) acc;
        }
        outputCount += count;
        discardBefore((outputCount * down) / up - half + 1);
        return out;
    }

    private void append(float[] input, int length) {
        if (bufferLength + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bufferLength + length));
        }
        System.arraycopy(input, 0, buffer, bufferLength, length);
        bufferLength += length;
    }

    private void discardBefore(long index) {
        int drop = (int) Math.min(bufferLength, Math.max(0, index - bufferStart));
        if (drop > 0) {
            System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
            bufferLength -= drop;
            bufferStart += drop;
        }
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
