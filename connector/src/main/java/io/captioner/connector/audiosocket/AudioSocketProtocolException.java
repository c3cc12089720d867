package io.captioner.connector.audiosocket;

/** The peer broke the AudioSocket protocol; the message says what and where (byte offset). */
public class AudioSocketProtocolException extends Exception {
    public AudioSocketProtocolException(String message) {
        super(message);
    }
}
