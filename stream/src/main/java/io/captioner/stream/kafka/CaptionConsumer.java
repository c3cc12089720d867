package io.captioner.stream.kafka;

import io.captioner.stream.event.EventJson;
import io.captioner.stream.event.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads call events from the caption topic(s) without a consumer group (all partitions assigned directly,
 * nothing committed), from the beginning or from now on. For tools, the demo and tests.
 */
public final class CaptionConsumer implements AutoCloseable {
    /** One record: {@code event} is null when the value is not a valid event, and {@code problem} says why. */
    public record Received(
            String topic, int partition, long offset, String key, String json, StreamEvent event, String problem) {}

    private final KafkaConsumer<String, String> consumer;

    /**
     * @param kafkaProperties passed through (security settings and the like); {@code default.api.timeout.ms}
     *                        (default here 10 s) bounds how long opening waits for an unreachable broker
     * @throws IllegalArgumentException when a topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException when the broker cannot be reached in time
     */
    public CaptionConsumer(
            String bootstrapServers,
            Collection<String> topics,
            boolean fromBeginning,
            Map<String, String> kafkaProperties) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "captioner-consumer");
        kafkaProperties.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException(
                            "Kafka topic '" + topic + "' does not exist at " + bootstrapServers);
                }
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // fix "now" before the caller's first poll
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The records that arrived within {@code timeout}, in partition order (a call's events in order). */
    public List<Received> poll(Duration timeout) {
        List<Received> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            StreamEvent event = null;
            String problem = null;
            try {
                event = EventJson.fromJson(r.value() == null ? "null" : r.value());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            out.add(new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), event, problem));
        }
        return out;
    }

    /** Makes a blocked {@link #poll} return early (from another thread). */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
