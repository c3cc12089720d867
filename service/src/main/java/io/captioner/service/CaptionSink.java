package io.captioner.service;

import io.captioner.stream.event.StreamEvent;

/** Where a call's events go: Kafka, and the live page's feed. */
interface CaptionSink {
    void publish(StreamEvent event);

    /** Whether events reach their destination now (the service's readiness check). */
    default boolean isReady() {
        return true;
    }
}
