package io.captioner.stream.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of the publisher's two Kafka clients: our defaults, then the user's Kafka properties
 * that the client knows, then what the publisher's guarantees require.
 */
final class KafkaClientConfig {
    private static final Logger log = LoggerFactory.getLogger(KafkaClientConfig.class);

    private KafkaClientConfig() {}

    static Map<String, Object> producer(PublisherSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "captioner-publisher");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // Kafka retries in-flight batches itself (idempotently, in order) for as long as the broker is away;
        // what is not yet handed over waits in our buffer, where partials can be dropped.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        settings.kafkaProperties().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.putAll(PublisherSettings.FIXED_PRODUCER_PROPERTIES);
        return config;
    }

    static Map<String, Object> admin(PublisherSettings settings) {
        Map<String, Object> config = new HashMap<>();
        settings.kafkaProperties().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "captioner-publisher-admin");
        int probeMs = (int) settings.probeTimeout().toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, probeMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, probeMs);
        config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        return config;
    }

    /** Logs the user's Kafka properties that neither client knows (they are ignored). */
    static void warnAboutUnknownProperties(Map<String, String> properties) {
        for (String key : properties.keySet()) {
            if (!ProducerConfig.configNames().contains(key)
                    && !AdminClientConfig.configNames().contains(key)) {
                log.warn("ignoring unknown Kafka client property '{}'", key);
            }
        }
    }
}
