package io.captioner.connector.audiosocket;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AudioSocket connection from Asterisk. Reads continuously (never pauses: Asterisk writes each
 * frame once without blocking, so a stalled reader would desynchronise its stream), expects the
 * 0x01 id first, and closes the connection with a logged reason on any protocol violation.
 * Writes nothing but the 0x00 stop.
 */
public final class AudioSocketSession {
    private static final Logger log = LoggerFactory.getLogger(AudioSocketSession.class);

    private final NetSocket socket;
    private final TapDirectory directory;
    private final AtomicLong rejected;
    private final AtomicLong protocolErrors;
    private final String peer;
    private final AudioSocketParser parser;
    private UUID uuid;
    private TapSink sink;
    private AudioPayloadDecoder decoder;
    private boolean closed;
    private String closeReason;
    private boolean closeIsProtocolError;

    AudioSocketSession(NetSocket socket, TapDirectory directory, AtomicLong rejected, AtomicLong protocolErrors) {
        this.socket = socket;
        this.directory = directory;
        this.rejected = rejected;
        this.protocolErrors = protocolErrors;
        this.peer = String.valueOf(socket.remoteAddress());
        this.parser = new AudioSocketParser(this::onMessage);
        socket.handler(this::onData);
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(e -> {
            if (closeReason == null) {
                closeReason = "connection error: " + e.getMessage();
            }
        });
    }

    public UUID uuid() {
        return uuid;
    }

    public String peer() {
        return peer;
    }

    public boolean hasId() {
        return uuid != null;
    }

    /** Asks Asterisk to end the tap (0x00), then closes the connection. */
    public void stop(String reason) {
        if (closed) {
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
        }
        socket.write(Buffer.buffer(AudioSocketWire.hangupMessage())).onComplete(ar -> socket.close());
    }

    /** Closes the connection at once (the peer misbehaved or was never wanted). */
    void abort(String reason, boolean protocolError) {
        if (closed) {
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
            closeIsProtocolError = protocolError;
        }
        if (protocolError) {
            protocolErrors.incrementAndGet();
        }
        log.warn("AudioSocket {} {}: closing: {}", peer, uuid == null ? "(no id yet)" : uuid, reason);
        socket.close();
    }

    private void onData(Buffer buffer) {
        if (closed || closeReason != null) {
            return; // closing: whatever still arrives is discarded
        }
        try {
            byte[] bytes = buffer.getBytes();
            parser.feed(bytes, 0, bytes.length);
        } catch (AudioSocketProtocolException e) {
            abort(e.getMessage(), true);
        }
    }

    private void onMessage(AudioSocketMessage message) {
        if (closeReason != null) {
            return;
        }
        try {
            if (uuid == null) {
                onFirstMessage(message);
                return;
            }
            int kind = message.kind();
            if (AudioSocketKind.isAudio(kind)) {
                List<DecodedAudio> audio = decoder.decode(kind, message.payload());
                for (DecodedAudio a : audio) {
                    sink.onAudio(a);
                }
            } else if (kind == AudioSocketKind.DTMF) {
                sink.onDtmf((char) (message.payload()[0] & 0xFF));
            } else if (kind == AudioSocketKind.ERROR) {
                abort(
                        "peer reported an error"
                                + (message.payload().length > 0 ? " (code " + (message.payload()[0] & 0xFF) + ")" : ""),
                        true);
            } else if (kind == AudioSocketKind.ID) {
                abort("second id message", true);
            } else if (kind == AudioSocketKind.HANGUP) {
                abort("peer sent hangup", false);
            } else {
                abort("unexpected message kind " + AudioSocketKind.hex(kind), true);
            }
        } catch (AudioSocketProtocolException e) {
            abort(e.getMessage(), true);
        }
    }

    private void onFirstMessage(AudioSocketMessage message) {
        if (message.kind() != AudioSocketKind.ID) {
            abort("first message must be the 0x01 id, got " + AudioSocketKind.hex(message.kind()), true);
            return;
        }
        UUID claimed = AudioSocketWire.uuid(message.payload());
        try {
            sink = directory.claim(claimed);
        } catch (TapDirectory.TapRejectedException e) {
            rejected.incrementAndGet();
            abort("rejected id " + claimed + ": " + e.getMessage(), false);
            return;
        }
        uuid = claimed;
        decoder = new AudioPayloadDecoder(sink.format());
        log.debug("AudioSocket {} connected for tap {}", peer, uuid);
        sink.onConnected(this);
    }

    private void onSocketClosed() {
        if (closed) {
            return;
        }
        closed = true;
        String reason = closeReason;
        if (reason == null) {
            reason = parser.atMessageBoundary()
                    ? "peer closed the connection"
                    : "peer closed the connection in the middle of a message at byte " + parser.offset();
        }
        if (sink == null && closeReason == null) {
            log.warn("AudioSocket {} went away before sending its id: {}", peer, reason);
        } else {
            log.debug("AudioSocket {} {} closed: {}", peer, uuid, reason);
        }
        if (sink != null) {
            sink.onClosed(reason, closeIsProtocolError);
        }
    }
}
