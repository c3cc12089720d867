package io.captioner.service;

import io.captioner.stream.event.StreamEvent;

/** Where a call's events go: Kafka, and the live page's feed. */
interface CaptionSink {
    void publish(StreamEvent event);
}
