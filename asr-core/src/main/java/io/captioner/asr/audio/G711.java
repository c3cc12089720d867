package io.captioner.asr.audio;

/** ITU-T G.711 decoders: one byte per sample to linear 16-bit PCM. */
public final class G711 {
    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = decodeUlaw(i);
            ALAW[i] = decodeAlaw(i);
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte code) {
        return ULAW[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW[code & 0xFF];
    }

    public static short[] decodeUlaw(byte[] codes) {
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = ULAW[codes[i] & 0xFF];
        }
        return out;
    }

    public static short[] decodeAlaw(byte[] codes) {
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = ALAW[codes[i] & 0xFF];
        }
        return out;
    }

    private static short decodeUlaw(int code) {
        int u = ~code & 0xFF;
        int magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
    }

    private static short decodeAlaw(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int magnitude = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment == 0) {
            magnitude += 8;
        } else {
            magnitude = (magnitude + 0x108) << (segment - 1);
        }
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
