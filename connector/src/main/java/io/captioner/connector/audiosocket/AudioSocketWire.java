package io.captioner.connector.audiosocket;

import java.nio.ByteBuffer;
import java.util.UUID;

/** Encoding helpers for AudioSocket messages (used by the simulator and to send the 0x00 stop). */
public final class AudioSocketWire {
    private AudioSocketWire() {}

    public static byte[] message(int kind, byte[] payload) {
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("payload too long: " + payload.length);
        }
        byte[] out = new byte[3 + payload.length];
        out[0] = (byte) kind;
        out[1] = (byte) (payload.length >>> 8);
        out[2] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 3, payload.length);
        return out;
    }

    public static byte[] idMessage(UUID uuid) {
        return message(AudioSocketKind.ID, uuidBytes(uuid));
    }

    public static byte[] hangupMessage() {
        return message(AudioSocketKind.HANGUP, new byte[0]);
    }

    public static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    public static UUID uuid(byte[] sixteen) {
        ByteBuffer b = ByteBuffer.wrap(sixteen);
        return new UUID(b.getLong(), b.getLong());
    }

    /** Little-endian signed 16-bit samples, as AudioSocket carries them. */
    public static byte[] pcmBytes(short[] samples, int from, int count) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            short s = samples[from + i];
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    public static short[] pcmSamples(byte[] payload) {
        short[] out = new short[payload.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((payload[2 * i] & 0xFF) | (payload[2 * i + 1] << 8));
        }
        return out;
    }
}
