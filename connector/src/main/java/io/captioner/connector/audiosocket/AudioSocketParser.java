package io.captioner.connector.audiosocket;

import java.util.function.Consumer;

/**
 * Turns an AudioSocket byte stream, cut into arbitrary chunks by TCP, into messages
 * (1 byte kind, 2 bytes big-endian length, payload). Rejects unknown kinds and lengths no real
 * peer sends as soon as the header is complete, so a hostile length never makes it wait or buffer.
 * Not thread-safe: one instance per connection.
 */
public final class AudioSocketParser {
    private final Consumer<AudioSocketMessage> sink;
    private final byte[] header = new byte[3];
    private int headerFill;
    private byte[] payload;
    private int payloadFill;
    private int kind;
    private long offset;
    private long messageStart;
    private boolean failed;

    public AudioSocketParser(Consumer<AudioSocketMessage> sink) {
        this.sink = sink;
    }

    /** Consumes {@code length} bytes from {@code data} starting at {@code from}. */
    public void feed(byte[] data, int from, int length) throws AudioSocketProtocolException {
        if (failed) {
            throw new AudioSocketProtocolException("parser already failed; the connection must be closed");
        }
        int i = from;
        int end = from + length;
        while (i < end) {
            if (payload == null) {
                if (headerFill == 0) {
                    messageStart = offset + (i - from);
                }
                header[headerFill++] = data[i++];
                if (headerFill == 3) {
                    startPayload();
                }
            } else {
                int n = Math.min(end - i, payload.length - payloadFill);
                System.arraycopy(data, i, payload, payloadFill, n);
                payloadFill += n;
                i += n;
                if (payloadFill == payload.length) {
                    emit();
                }
            }
        }
        offset += length;
    }

    public void feed(byte[] data) throws AudioSocketProtocolException {
        feed(data, 0, data.length);
    }

    /** True when no message is half-received (a clean place for the stream to end). */
    public boolean atMessageBoundary() {
        return headerFill == 0 && payload == null;
    }

    /** Bytes consumed so far. */
    public long offset() {
        return offset;
    }

    private void startPayload() throws AudioSocketProtocolException {
        kind = header[0] & 0xFF;
        int length = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        int max = AudioSocketKind.maxPayload(kind);
        if (max < 0) {
            failed = true;
            throw new AudioSocketProtocolException(
                    "unknown message kind " + AudioSocketKind.hex(kind) + " at byte " + messageStart);
        }
        if (length > max || (kind == AudioSocketKind.ID && length != 16)) {
            failed = true;
            throw new AudioSocketProtocolException("impossible length " + length + " for kind "
                    + AudioSocketKind.hex(kind) + " at byte " + messageStart + " (at most " + max + ")");
        }
        payload = new byte[length];
        payloadFill = 0;
        if (length == 0) {
            emit();
        }
    }

    private void emit() {
        AudioSocketMessage message = new AudioSocketMessage(kind, payload);
        payload = null;
        headerFill = 0;
        sink.accept(message);
    }
}
