package io.captioner.stream.kafka;

/** The caption topics do not exist and cannot be created; the message says which topic and why. */
public final class TopicSetupException extends RuntimeException {
    public TopicSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
