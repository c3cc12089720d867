package io.captioner.connector.audiosocket;

/** Receives what one accepted tap connection carries. Called on the server's Vert.x context. */
public interface TapSink {
    TapFormat format();

    void onConnected(AudioSocketSession session);

    void onAudio(DecodedAudio audio);

    void onDtmf(char digit);

    /**
     * The connection is gone.
     *
     * @param reason        why, in words (e.g. "peer closed", "impossible length 9000 for kind 0x10 at byte 3")
     * @param protocolError true when the peer broke the protocol
     */
    void onClosed(String reason, boolean protocolError);
}
