package io.captioner.stream.kafka;

/**
 * A snapshot of the publisher's counters.
 *
 * @param accepted          events accepted by {@code publish}
 * @param sent              events acknowledged by Kafka
 * @param failedAttempts    send attempts that failed and were retried
 * @param failedPermanently events Kafka refused for good (e.g. too large); spilled if non-droppable
 * @param droppedPartials   partial captions dropped under pressure
 * @param rejected          non-droppable events rejected because the buffer stayed full
 * @param buffered          events accepted but not yet acknowledged (queued + in flight)
 * @param bufferedBytes     their JSON size
 * @param inFlight          of which handed to the Kafka client
 * @param brokerReachable   the last contact with the broker succeeded
 * @param topicsReady       the topics exist (or were created)
 * @param lastError         the latest problem, or null
 * @param sendLatency       from {@code publish} to Kafka's acknowledgement
 */
public record PublisherStats(
        long accepted,
        long sent,
        long failedAttempts,
        long failedPermanently,
        long droppedPartials,
        long rejected,
        int buffered,
        long bufferedBytes,
        int inFlight,
        boolean brokerReachable,
        boolean topicsReady,
        String lastError,
        LatencyHistogram.Snapshot sendLatency) {}
