package io.captioner.connector.audiosocket;

import java.util.Arrays;

/** One AudioSocket message: kind, then the payload (length is implied). */
public record AudioSocketMessage(int kind, byte[] payload) {

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioSocketMessage m && m.kind == kind && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return kind * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "AudioSocketMessage{" + AudioSocketKind.hex(kind) + ", " + payload.length + " bytes}";
    }
}
