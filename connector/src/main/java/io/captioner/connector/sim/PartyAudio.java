package io.captioner.connector.sim;

import io.captioner.asr.audio.WavReader;
import java.io.IOException;
import java.nio.file.Path;

/** Mono 16-bit PCM a simulated party plays: a tone, a wav file, or given samples. */
public final class PartyAudio {
    private final short[] samples;
    private final int sampleRate;

    public PartyAudio(int sampleRate, short[] samples) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.samples = samples.clone();
        this.sampleRate = sampleRate;
    }

    public static PartyAudio tone(double frequencyHz, int durationMs, int sampleRate, double amplitude) {
        short[] s = new short[(int) ((long) sampleRate * durationMs / 1000)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequencyHz * i / sampleRate));
        }
        return new PartyAudio(sampleRate, s);
    }

    public static PartyAudio tone(double frequencyHz, int durationMs) {
        return tone(frequencyHz, durationMs, 8000, 0.3);
    }

    public static PartyAudio silence(int durationMs, int sampleRate) {
        return new PartyAudio(sampleRate, new short[sampleRate * durationMs / 1000]);
    }

    /** This audio, then {@code next} (of the same rate). */
    public PartyAudio followedBy(PartyAudio next) {
        if (next.sampleRate != sampleRate) {
            throw new IllegalArgumentException(
                    "cannot join " + next.sampleRate + " Hz audio to " + sampleRate + " Hz audio");
        }
        short[] joined = java.util.Arrays.copyOf(samples, samples.length + next.samples.length);
        System.arraycopy(next.samples, 0, joined, samples.length, next.samples.length);
        return new PartyAudio(sampleRate, joined);
    }

    /** Reads a WAV file (first channel). */
    public static PartyAudio wav(Path file) throws IOException {
        io.captioner.asr.audio.PcmAudio audio = WavReader.read(file);
        return new PartyAudio(audio.sampleRate(), audio.samples());
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int length() {
        return samples.length;
    }

    public int durationMs() {
        return (int) ((long) samples.length * 1000 / sampleRate);
    }

    /** The sample at index i, silence beyond the end. */
    public short sample(long i) {
        return i >= 0 && i < samples.length ? samples[(int) i] : 0;
    }

    /** Whether the n samples from index {@code from} are all zero (digital silence; beyond the end is silence). */
    public boolean silent(long from, int n) {
        for (long i = from; i < from + n; i++) {
            if (sample(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The same audio at another rate (linear interpolation; enough for a simulator). */
    public PartyAudio at(int rate) {
        if (rate == sampleRate) {
            return this;
        }
        int n = (int) ((long) samples.length * rate / sampleRate);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double x = (double) i * sampleRate / rate;
            int i0 = (int) x;
            double frac = x - i0;
            out[i] = (short) Math.round(sample(i0) * (1 - frac) + sample(i0 + 1) * frac);
        }
        return new PartyAudio(rate, out);
    }
}
