package io.captioner.stream.kafka;

import io.captioner.stream.event.StreamEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link CaptionPublisher}.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic             topic of every event (and of partial captions unless {@code partialTopic} is set)
 * @param partialTopic      separate topic for partial captions, or null to use {@code topic}
 * @param createTopics      create missing topics with the Admin API; when false, missing topics are an error
 * @param topicPartitions   partitions of topics the publisher creates
 * @param replicationFactor replication factor of created topics; -1 uses the broker's default
 * @param maxBufferedEvents bound on events accepted but not yet acknowledged by Kafka (queued + in flight)
 * @param maxBufferedBytes  bound on their JSON size
 * @param maxInFlightEvents events handed to the Kafka client at once; the rest wait where partials can be dropped
 * @param fullBufferWait    how long {@code publish} of a final (or other non-droppable event) waits for room when
 *                          the buffer holds only non-droppable events, before rejecting it loudly
 * @param retryBackoff      pause after a failed send before the next attempt
 * @param probeInterval     how often broker reachability (and missing topics) are checked
 * @param probeTimeout      time limit of one reachability check
 * @param shutdownTimeout   how long {@code close} tries to deliver what is buffered
 * @param spillFile         JSON-lines file receiving non-droppable events that could not be delivered (rejected
 *                          when the buffer was full, failed permanently, or still pending at shutdown); null: none
 * @param kafkaProperties   Kafka client properties passed through (security: {@code security.protocol},
 *                          {@code sasl.*}, {@code ssl.*}; timeouts...). {@code acks}, {@code enable.idempotence},
 *                          {@code max.in.flight.requests.per.connection} and the serializers are fixed by the
 *                          publisher and may not be overridden.
 */
public record PublisherSettings(
        String bootstrapServers,
        String topic,
        String partialTopic,
        boolean createTopics,
        int topicPartitions,
        short replicationFactor,
        int maxBufferedEvents,
        long maxBufferedBytes,
        int maxInFlightEvents,
        Duration fullBufferWait,
        Duration retryBackoff,
        Duration probeInterval,
        Duration probeTimeout,
        Duration shutdownTimeout,
        Path spillFile,
        Map<String, String> kafkaProperties) {
    public static final String DEFAULT_TOPIC = "captions";
    /**
     * Producer properties the publisher's guarantee (each event once, in order per call) rests on; they cannot be
     * overridden. One request in flight: with more, a retriable failure of the first produce to a partition the
     * broker has only just created can be overtaken by the next request, and the idempotent producer then retries
     * the first for ever (OUT_OF_ORDER_SEQUENCE_NUMBER; KAFKA-15591, fixed in brokers from 4.5). Whatever arrives
     * meanwhile is batched into the next request.
     */
    static final Map<String, String> FIXED_PRODUCER_PROPERTIES =
            Map.of("acks", "all", "enable.idempotence", "true", "max.in.flight.requests.per.connection", "1");

    public PublisherSettings {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers must be set");
        require(topic != null && !topic.isBlank(), "topic must be set");
        require(partialTopic == null || !partialTopic.isBlank(), "partialTopic must be null or a topic name");
        require(topicPartitions >= 1, "topicPartitions must be >= 1, got " + topicPartitions);
        require(
                replicationFactor == -1 || replicationFactor >= 1,
                "replicationFactor must be -1 (broker default) or >= 1, got " + replicationFactor);
        require(maxBufferedEvents >= 1, "maxBufferedEvents must be >= 1, got " + maxBufferedEvents);
        require(maxBufferedBytes >= 1024, "maxBufferedBytes must be >= 1024, got " + maxBufferedBytes);
        require(
                maxInFlightEvents >= 1 && maxInFlightEvents <= maxBufferedEvents,
                "maxInFlightEvents must be within [1, maxBufferedEvents], got " + maxInFlightEvents);
        for (Map.Entry<String, Duration> d : Map.of(
                        "fullBufferWait",
                        nonNull(fullBufferWait, "fullBufferWait"),
                        "retryBackoff",
                        nonNull(retryBackoff, "retryBackoff"),
                        "probeInterval",
                        nonNull(probeInterval, "probeInterval"),
                        "probeTimeout",
                        nonNull(probeTimeout, "probeTimeout"),
                        "shutdownTimeout",
                        nonNull(shutdownTimeout, "shutdownTimeout"))
                .entrySet()) {
            require(!d.getValue().isNegative(), d.getKey() + " must not be negative, got " + d.getValue());
        }
        require(!probeInterval.isZero() && !probeTimeout.isZero(), "probeInterval and probeTimeout must be > 0");
        kafkaProperties = Map.copyOf(nonNull(kafkaProperties, "kafkaProperties"));
        for (String fixed : new String[] {
            "acks", "enable.idempotence", "max.in.flight.requests.per.connection", "key.serializer", "value.serializer"
        }) {
            String value = kafkaProperties.get(fixed);
            require(
                    value == null
                            || value.equals(FIXED_PRODUCER_PROPERTIES.get(fixed))
                            || (fixed.equals("acks") && value.equals("-1")),
                    "kafka property '" + fixed + "' is fixed by the caption publisher (acks=all, idempotence on, "
                            + "one request in flight, string serializers) and cannot be set to '" + value + "'");
        }
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    public Builder toBuilder() {
        Builder b = new Builder(bootstrapServers);
        b.topic = topic;
        b.partialTopic = partialTopic;
        b.createTopics = createTopics;
        b.topicPartitions = topicPartitions;
        b.replicationFactor = replicationFactor;
        b.maxBufferedEvents = maxBufferedEvents;
        b.maxBufferedBytes = maxBufferedBytes;
        b.maxInFlightEvents = maxInFlightEvents;
        b.fullBufferWait = fullBufferWait;
        b.retryBackoff = retryBackoff;
        b.probeInterval = probeInterval;
        b.probeTimeout = probeTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.spillFile = spillFile;
        b.kafkaProperties = new LinkedHashMap<>(kafkaProperties);
        return b;
    }

    /** The topic an event goes to. */
    public String topicFor(StreamEvent event) {
        return event.droppable() && partialTopic != null ? partialTopic : topic;
    }

    /** Secret-free: SASL/TLS secrets are masked. */
    @Override
    public String toString() {
        return "PublisherSettings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", partialTopic="
                + partialTopic + ", createTopics=" + createTopics + ", topicPartitions=" + topicPartitions
                + ", replicationFactor=" + replicationFactor + ", maxBufferedEvents=" + maxBufferedEvents
                + ", maxBufferedBytes=" + maxBufferedBytes + ", maxInFlightEvents=" + maxInFlightEvents
                + ", fullBufferWait=" + fullBufferWait + ", retryBackoff=" + retryBackoff + ", probeInterval="
                + probeInterval + ", probeTimeout=" + probeTimeout + ", shutdownTimeout=" + shutdownTimeout
                + ", spillFile=" + spillFile + ", kafkaProperties=" + KafkaSecrets.masked(kafkaProperties) + "]";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("caption publisher settings: " + message);
        }
    }

    private static <T> T nonNull(T value, String name) {
        require(value != null, name + " must be set");
        return value;
    }

    public static final class Builder {
        private final String bootstrapServers;
        private String topic = DEFAULT_TOPIC;
        private String partialTopic;
        private boolean createTopics = true;
        private int topicPartitions = 6;
        private short replicationFactor = -1;
        private int maxBufferedEvents = 10_000;
        private long maxBufferedBytes = 32L * 1024 * 1024;
        private int maxInFlightEvents = 1_000;
        private Duration fullBufferWait = Duration.ofSeconds(2);
        private Duration retryBackoff = Duration.ofMillis(500);
        private Duration probeInterval = Duration.ofSeconds(5);
        private Duration probeTimeout = Duration.ofSeconds(5);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Path spillFile;
        private Map<String, String> kafkaProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder topic(String value) {
            this.topic = value;
            return this;
        }

        public Builder partialTopic(String value) {
            this.partialTopic = value;
            return this;
        }

        public Builder createTopics(boolean value) {
            this.createTopics = value;
            return this;
        }

        public Builder topicPartitions(int value) {
            this.topicPartitions = value;
            return this;
        }

        public Builder replicationFactor(short value) {
            this.replicationFactor = value;
            return this;
        }

        public Builder maxBufferedEvents(int value) {
            this.maxBufferedEvents = value;
            return this;
        }

        public Builder maxBufferedBytes(long value) {
            this.maxBufferedBytes = value;
            return this;
        }

        public Builder maxInFlightEvents(int value) {
            this.maxInFlightEvents = value;
            return this;
        }

        public Builder fullBufferWait(Duration value) {
            this.fullBufferWait = value;
            return this;
        }

        public Builder retryBackoff(Duration value) {
            this.retryBackoff = value;
            return this;
        }

        public Builder probeInterval(Duration value) {
            this.probeInterval = value;
            return this;
        }

        public Builder probeTimeout(Duration value) {
            this.probeTimeout = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        public Builder spillFile(Path value) {
            this.spillFile = value;
            return this;
        }

        /** Adds a Kafka client property (e.g. {@code security.protocol}, {@code sasl.jaas.config}). */
        public Builder kafkaProperty(String key, String value) {
            this.kafkaProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value, key));
            return this;
        }

        public Builder kafkaProperties(Map<String, String> values) {
            values.forEach(this::kafkaProperty);
            return this;
        }

        public PublisherSettings build() {
            return new PublisherSettings(
                    bootstrapServers,
                    topic,
                    partialTopic,
                    createTopics,
                    topicPartitions,
                    replicationFactor,
                    maxBufferedEvents,
                    maxBufferedBytes,
                    maxInFlightEvents,
                    fullBufferWait,
                    retryBackoff,
                    probeInterval,
                    probeTimeout,
                    shutdownTimeout,
                    spillFile,
                    kafkaProperties);
        }
    }
}
