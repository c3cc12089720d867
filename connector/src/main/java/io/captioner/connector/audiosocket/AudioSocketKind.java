package io.captioner.connector.audiosocket;

/** Message kinds of the AudioSocket protocol and the sample rates of its audio kinds. */
public final class AudioSocketKind {
    public static final int HANGUP = 0x00;
    public static final int ID = 0x01;
    public static final int DTMF = 0x03;
    public static final int SLIN_8K = 0x10;
    public static final int SLIN_16K = 0x12;
    public static final int ERROR = 0xFF;

    private static final int[] AUDIO_RATES = {8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000};

    private AudioSocketKind() {}

    public static boolean isAudio(int kind) {
        return kind >= 0x10 && kind <= 0x18;
    }

    /** Sample rate of an audio kind (0x10 = 8 kHz ... 0x18 = 192 kHz). */
    public static int sampleRate(int kind) {
        if (!isAudio(kind)) {
            throw new IllegalArgumentException("not an audio kind: " + hex(kind));
        }
        return AUDIO_RATES[kind - 0x10];
    }

    /** Audio kind for a sample rate. */
    public static int forSampleRate(int rate) {
        for (int i = 0; i < AUDIO_RATES.length; i++) {
            if (AUDIO_RATES[i] == rate) {
                return 0x10 + i;
            }
        }
        throw new IllegalArgumentException("AudioSocket has no audio kind for " + rate + " Hz");
    }

    /** Largest payload accepted for a kind, or -1 when the kind is unknown. */
    public static int maxPayload(int kind) {
        if (isAudio(kind)) {
            // 100 ms of stereo: five times the 20 ms frames Asterisk sends, far beyond anything sane
            return Math.min(65535, sampleRate(kind) / 10 * 2 * 2);
        }
        return switch (kind) {
            case HANGUP -> 0;
            case ID -> 16;
            case DTMF -> 1;
            case ERROR -> 1;
            default -> -1;
        };
    }

    public static String hex(int kind) {
        return String.format("0x%02X", kind);
    }
}
