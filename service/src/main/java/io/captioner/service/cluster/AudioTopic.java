package io.captioner.service.cluster;

import io.captioner.service.ServiceSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The audio topic's Kafka clients, configured from the service's settings: the user's {@code kafka.properties}
 * (security, for one: the topic carries callers' voices), then what the cluster's guarantees need.
 */
public final class AudioTopic {
    private AudioTopic() {}

    /** The tapper's producer: idempotent and acknowledged by all replicas, so records stay in order and whole. */
    public static Map<String, Object> producerConfig(ServiceSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "captioner-tapper");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // audio older than a minute is of no use to live captions; what Kafka cannot take by then is counted lost
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        userProperties(settings, ProducerConfig.configNames(), config);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrap());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // as the caption publisher: with a second request in flight, a failed first produce to a just-created
        // partition can be overtaken and leave the producer retrying for ever (KAFKA-15591)
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return config;
    }

    /** A recognizer's consumer: a member of the recognizers' group that commits by itself only. */
    public static Map<String, Object> consumerConfig(ServiceSettings settings) {
        ServiceSettings.Cluster cluster = settings.cluster();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "captioner-recognizer");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        userProperties(settings, ConsumerConfig.configNames(), config);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, cluster.group());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a group's first member reads what the topic still holds: the calls in progress from their start
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                cluster.sessionTimeout().toMillis());
        config.put(
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) cluster.sessionTimeout().toMillis() / 3);
        // only the partitions that move are revoked: the others' calls go on undisturbed
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        return config;
    }

    /**
     * Creates the audio topic (partitions and retention from {@code cluster.*}) when it is missing and
     * {@code kafka.createTopics} allows it.
     *
     * @throws IllegalStateException naming the topic and the reason when it is missing and cannot be created
     */
    public static void ensure(ServiceSettings settings) throws InterruptedException {
        ServiceSettings.Cluster cluster = settings.cluster();
        Map<String, Object> config = new HashMap<>();
        userProperties(settings, AdminClientConfig.configNames(), config);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrap());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "captioner-audio-topic-admin");
        try (Admin admin = Admin.create(config)) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(cluster.audioTopic())) {
                return;
            }
            if (!settings.kafka().createTopics()) {
                throw new IllegalStateException("cluster.audioTopic: Kafka topic '" + cluster.audioTopic()
                        + "' does not exist at " + settings.kafka().bootstrap()
                        + " and kafka.createTopics is false: create it, or allow creation");
            }
            NewTopic topic = new NewTopic(
                            cluster.audioTopic(),
                            Optional.of(cluster.audioPartitions()),
                            Optional.of(settings.kafka().replicationFactor()))
                    .configs(Map.of(
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(cluster.audioRetention().toMillis())));
            admin.createTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cluster.audioTopic: cannot set up Kafka topic '" + cluster.audioTopic() + "' at "
                                + settings.kafka().bootstrap() + ": " + e.getCause(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cluster.audioTopic: no answer from Kafka at "
                            + settings.kafka().bootstrap() + " in 30 s",
                    e);
        }
    }

    private static void userProperties(ServiceSettings settings, Set<String> known, Map<String, Object> config) {
        settings.kafka().properties().forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
    }
}
