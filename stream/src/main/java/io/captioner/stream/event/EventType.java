package io.captioner.stream.event;

/** The kinds of event on the captions topic(s); the JSON value of {@code eventType}. */
public enum EventType {
    CALL_STARTED,
    PARTIAL_CAPTION,
    FINAL_CAPTION,
    CALL_ENDED,
    /** A leg stopped producing captions: the tap failed, the audio stream broke, or the decoder failed. */
    LEG_ERROR
}
