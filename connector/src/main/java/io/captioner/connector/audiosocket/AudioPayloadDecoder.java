package io.captioner.connector.audiosocket;

import io.captioner.asr.audio.G711;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the audio messages of one tap connection and checks them against the requested format.
 *
 * <p>The kind's rate must match the tap's rate. Asterisk labels every codec 0x10, so the payload
 * size tells what arrived: when the first audio message of an 8 kHz tap is half the size of a
 * 20 ms slin frame, the stream is G.711 (the channel could not be given slin). Whether it is mu-law
 * or A-law is decided from the signal: the right law decodes to a smooth waveform (little energy in
 * sample-to-sample differences), the wrong one to noise. Until enough signal has arrived the frames
 * are held back (at most {@link #MAX_UNDECIDED_FRAMES}), then released in order.
 */
public final class AudioPayloadDecoder {
    static final int MAX_UNDECIDED_FRAMES = 50;
    private static final double MIN_DECISION_ENERGY = 200.0 * 200.0 * 160;

    private enum Encoding {
        UNDECIDED,
        SLIN,
        G711
    }

    private final TapFormat format;
    private Encoding encoding = Encoding.UNDECIDED;
    private G711.Law law;
    private final List<byte[]> undecidedG711 = new ArrayList<>();

    public AudioPayloadDecoder(TapFormat format) {
        this.format = format;
    }

    /** The detected G.711 law, or null (slin, or not decided yet). */
    public G711.Law law() {
        return law;
    }

    public boolean isG711() {
        return encoding == Encoding.G711;
    }

    /**
     * Decodes one audio message. Returns zero or more decoded frames (G.711 frames may be held
     * back until the law is known, then come out together).
     */
    public List<DecodedAudio> decode(int kind, byte[] payload) throws AudioSocketProtocolException {
        int rate = AudioSocketKind.sampleRate(kind);
        if (rate != format.sampleRate()) {
            throw new AudioSocketProtocolException("audio kind " + AudioSocketKind.hex(kind) + " (" + rate
                    + " Hz) on a tap that asked for " + format.sampleRate() + " Hz");
        }
        if (payload.length == 0) {
            return List.of();
        }
        if (encoding == Encoding.UNDECIDED) {
            boolean g711Sized = kind == AudioSocketKind.SLIN_8K && payload.length * 2 == format.slinFrameBytes();
            encoding = g711Sized ? Encoding.G711 : Encoding.SLIN;
        }
        int bytesPerSample = encoding == Encoding.SLIN ? 2 : 1;
        if (payload.length % (bytesPerSample * format.channels()) != 0) {
            throw new AudioSocketProtocolException("audio payload of " + payload.length
                    + " bytes is not a whole number of " + (encoding == Encoding.SLIN ? "16-bit" : "G.711")
                    + (format.stereo() ? " stereo" : "") + " samples");
        }
        if (encoding == Encoding.SLIN) {
            return List.of(split(AudioSocketWire.pcmSamples(payload)));
        }
        if (law == null) {
            undecidedG711.add(payload);
            law = decideLaw(undecidedG711, undecidedG711.size() >= MAX_UNDECIDED_FRAMES);
            if (law == null) {
                return List.of();
            }
            List<DecodedAudio> out = new ArrayList<>();
            for (byte[] held : undecidedG711) {
                out.add(split(G711.decode(held, law)));
            }
            undecidedG711.clear();
            return out;
        }
        return List.of(split(G711.decode(payload, law)));
    }

    private DecodedAudio split(short[] interleaved) {
        if (!format.stereo()) {
            return new DecodedAudio(interleaved, null, format.sampleRate());
        }
        short[] left = new short[interleaved.length / 2];
        short[] right = new short[left.length];
        for (int i = 0; i < left.length; i++) {
            left[i] = interleaved[2 * i];
            right[i] = interleaved[2 * i + 1];
        }
        return new DecodedAudio(left, right, format.sampleRate());
    }

    /** Picks the law whose decoding is smoother; null while the signal is too weak to tell (unless forced). */
    static G711.Law decideLaw(List<byte[]> frames, boolean force) {
        double[] mu = smoothness(frames, G711.Law.ULAW);
        double[] a = smoothness(frames, G711.Law.ALAW);
        boolean enoughSignal = mu[0] > MIN_DECISION_ENERGY && a[0] > MIN_DECISION_ENERGY;
        if (!enoughSignal) {
            return force ? G711.Law.ULAW : null;
        }
        return mu[1] / mu[0] <= a[1] / a[0] ? G711.Law.ULAW : G711.Law.ALAW;
    }

    /** {signal energy without DC, energy of first differences}. */
    private static double[] smoothness(List<byte[]> frames, G711.Law law) {
        double sum = 0;
        double sumSq = 0;
        double diffSq = 0;
        long n = 0;
        for (byte[] frame : frames) {
            short[] pcm = G711.decode(frame, law);
            for (int i = 0; i < pcm.length; i++) {
                sum += pcm[i];
                sumSq += (double) pcm[i] * pcm[i];
                if (i > 0) {
                    double d = pcm[i] - pcm[i - 1];
                    diffSq += d * d;
                }
            }
            n += pcm.length;
        }
        double energy = sumSq - (n == 0 ? 0 : sum * sum / n);
        return new double[] {energy, diffSq};
    }
}
