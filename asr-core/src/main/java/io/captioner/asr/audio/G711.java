package io.captioner.asr.audio;

/** ITU-T G.711 (mu-law and A-law, one byte per sample) to and from linear 16-bit PCM. */
public final class G711 {
    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = decodeUlaw(i);
            ALAW[i] = decodeAlaw(i);
        }
    }

    private G711() {}

    public static short ulawToLinear(byte code) {
        return ULAW[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW[code & 0xFF];
    }

    public enum Law {
        ULAW,
        ALAW
    }

    public static short[] decode(byte[] codes, Law law) {
        short[] table = law == Law.ULAW ? ULAW : ALAW;
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = table[codes[i] & 0xFF];
        }
        return out;
    }

    public static byte[] encode(short[] pcm, Law law) {
        byte[] out = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = law == Law.ULAW ? linearToUlaw(pcm[i]) : linearToAlaw(pcm[i]);
        }
        return out;
    }

    private static byte linearToUlaw(short sample) {
        int pcm = sample;
        int sign = pcm < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(pcm), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    private static byte linearToAlaw(short sample) {
        int pcm = sample;
        int sign = pcm >= 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(pcm), 32767);
        int code;
        if (magnitude < 256) {
            code = magnitude >> 4;
        } else {
            int exponent = 1;
            for (int m = magnitude >> 8; m > 1; m >>= 1) {
                exponent++;
            }
            code = (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0F);
        }
        return (byte) ((sign | code) ^ 0x55);
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
