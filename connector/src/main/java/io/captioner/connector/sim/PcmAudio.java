package io.captioner.connector.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mono 16-bit PCM a simulated party plays: a tone, a wav file, or given samples. */
public final class PcmAudio {
    private final short[] samples;
    private final int sampleRate;

    public PcmAudio(short[] samples, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.samples = samples.clone();
        this.sampleRate = sampleRate;
    }

    public static PcmAudio tone(double frequencyHz, int durationMs, int sampleRate, double amplitude) {
        short[] s = new short[(int) ((long) sampleRate * durationMs / 1000)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequencyHz * i / sampleRate));
        }
        return new PcmAudio(s, sampleRate);
    }

    public static PcmAudio tone(double frequencyHz, int durationMs) {
        return tone(frequencyHz, durationMs, 8000, 0.3);
    }

    public static PcmAudio silence(int durationMs, int sampleRate) {
        return new PcmAudio(new short[sampleRate * durationMs / 1000], sampleRate);
    }

    /** Reads a RIFF/WAVE file of 16-bit PCM, mono (stereo files are mixed down). */
    public static PcmAudio wav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (format != 1 && format != 0xFFFE || bits != 16) {
                    throw new IOException(file + ": only 16-bit PCM wav is supported (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164) { // "data"
                if (channels == 0) {
                    throw new IOException(file + ": data chunk before fmt chunk");
                }
                int frames = Math.min(size, b.limit() - body) / (2 * channels);
                short[] out = new short[frames];
                for (int i = 0; i < frames; i++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(body + 2 * (i * channels + c));
                    }
                    out[i] = (short) (sum / channels);
                }
                return new PcmAudio(out, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
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

    /** The same audio at another rate (linear interpolation; enough for a simulator). */
    public PcmAudio at(int rate) {
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
        return new PcmAudio(out, rate);
    }
}
