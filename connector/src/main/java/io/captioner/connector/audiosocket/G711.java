package io.captioner.connector.audiosocket;

/** ITU-T G.711 decoding (mu-law and A-law to 16-bit linear PCM) and encoding for the simulator. */
public final class G711 {
    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = ulawToLinear(i);
            ALAW[i] = alawToLinear(i);
        }
    }

    private G711() {
    }

    public enum Law { ULAW, ALAW }

    public static short[] decode(byte[] data, Law law) {
        short[] table = law == Law.ULAW ? ULAW : ALAW;
        short[] out = new short[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = table[data[i] & 0xFF];
        }
        return out;
    }

    private static short ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short alawToLinear(int code) {
        int a = code ^ 0x55;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
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
}
