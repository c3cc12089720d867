package io.captioner.asr.fbank;

import java.util.Arrays;

/**
 * Streaming Kaldi log-mel filterbank, equal to {@code torchaudio.compliance.kaldi.fbank} with WeNet's
 * settings: 25 ms frames every 10 ms (snip edges), DC removal, pre-emphasis 0.97, Povey window, FFT of
 * the next power of two, power spectrum, triangular mel bins from 20 Hz to Nyquist, natural log
 * floored at FLT_EPSILON, no dither, no energy. Input samples are int16-valued floats. Samples that
 * do not yet complete a frame are kept for the next call. Not thread-safe; one instance per stream.
 */
public final class Fbank {
    public static final int DEFAULT_BINS = 80;
    private static final double PREEMPHASIS = 0.97;
    /** Kaldi's and WeNet's frame shift and window length. */
    public static final int FRAME_SHIFT_MS = 10;

    public static final int FRAME_LENGTH_MS = 25;
    private static final double LOW_FREQ = 20.0;
    private static final double LOG_FLOOR = Math.ulp(1.0f); // FLT_EPSILON

    private final int sampleRate;
    private final int numBins;
    private final int frameLength;
    private final int frameShift;
    private final int fftSize;
    private final float[] window;
    private final float[] frame;
    private final MelBanks melBanks;
    private final Fft fft;
    private final double[] re;
    private final double[] im;
    private final double[] power;

    private float[] pending = new float[0];
    private long framesProduced;

    public Fbank(int sampleRate) {
        this(sampleRate, DEFAULT_BINS);
    }

    public Fbank(int sampleRate, int numBins) {
        this.sampleRate = sampleRate;
        this.numBins = numBins;
        this.frameLength = sampleRate * FRAME_LENGTH_MS / 1000;
        this.frameShift = sampleRate * FRAME_SHIFT_MS / 1000;
        this.fftSize = Integer.highestOneBit(frameLength - 1) << 1;
        this.window = poveyWindow(frameLength);
        this.frame = new float[frameLength];
        this.melBanks = new MelBanks(numBins, fftSize, sampleRate, LOW_FREQ, sampleRate / 2.0);
        this.fft = new Fft(fftSize);
        this.re = new double[fftSize];
        this.im = new double[fftSize];
        this.power = new double[fftSize / 2 + 1];
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int numBins() {
        return numBins;
    }

    public int frameShiftSamples() {
        return frameShift;
    }

    public long framesProduced() {
        return framesProduced;
    }

    /** Adds samples and returns every frame completed by them, [frames][bins]. */
    public float[][] accept(float[] samples) {
        float[] all = new float[pending.length + samples.length];
        System.arraycopy(pending, 0, all, 0, pending.length);
        System.arraycopy(samples, 0, all, pending.length, samples.length);
        int frames = all.length < frameLength ? 0 : 1 + (all.length - frameLength) / frameShift;
        float[][] out = new float[frames][];
        for (int f = 0; f < frames; f++) {
            out[f] = computeFrame(all, f * frameShift);
        }
        pending = Arrays.copyOfRange(all, frames * frameShift, all.length);
        framesProduced += frames;
        return out;
    }

    /** Whole-signal convenience: all frames of {@code samples} with fresh state. */
    public static float[][] compute(float[] samples, int sampleRate) {
        return new Fbank(sampleRate).accept(samples);
    }

    private float[] computeFrame(float[] signal, int start) {
        // torchaudio works in float32 up to the FFT; rounding the same way keeps the low-energy bins
        // (silence) within 1e-3 of it
        double sum = 0;
        for (int i = 0; i < frameLength; i++) {
            sum += signal[start + i];
        }
        float mean = (float) (sum / frameLength);
        float[] x = frame;
        for (int i = 0; i < frameLength; i++) {
            x[i] = signal[start + i] - mean;
        }
        for (int i = frameLength - 1; i > 0; i--) {
            x[i] = x[i] - (float) PREEMPHASIS * x[i - 1];
        }
        x[0] = x[0] - (float) PREEMPHASIS * x[0];
        for (int i = 0; i < frameLength; i++) {
            re[i] = x[i] * window[i]; // float product, widened
        }
        Arrays.fill(re, frameLength, fftSize, 0.0);
        Arrays.fill(im, 0.0);
        fft.transform(re, im);
        for (int k = 0; k < power.length; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
        float[] out = new float[numBins];
        for (int b = 0; b < numBins; b++) {
            out[b] = (float) Math.log(Math.max(melBanks.apply(b, power), LOG_FLOOR));
        }
        return out;
    }

    private static float[] poveyWindow(int length) {
        float[] w = new float[length];
        for (int i = 0; i < length; i++) {
            w[i] = (float) Math.pow(0.5 - 0.5 * Math.cos(2 * Math.PI * i / (length - 1)), 0.85);
        }
        return w;
    }
}
