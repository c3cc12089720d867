package io.captioner.stream.kafka;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure the caption topics exist: creates them when allowed, explains clearly when not. */
final class TopicSetup {
    private final Admin admin;
    private final PublisherSettings settings;

    TopicSetup(Admin admin, PublisherSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        topics.add(settings.topic());
        if (settings.partialTopic() != null) {
            topics.add(settings.partialTopic());
        }
        return topics;
    }

    /**
     * @throws TopicSetupException when a topic is missing and cannot be created (names topic, broker and reason)
     * @throws TimeoutException    when the broker did not answer in time (a reachability problem, not a setup one)
     */
    void ensure(long timeoutMs) throws TimeoutException, InterruptedException {
        for (String topic : topics()) {
            if (exists(topic, timeoutMs)) {
                continue;
            }
            if (!settings.createTopics()) {
                throw new TopicSetupException(
                        "Kafka topic '" + topic + "' does not exist at "
                                + settings.bootstrapServers() + " and topic creation is disabled (createTopics=false): "
                                + "create the topic, or enable creation",
                        null);
            }
            create(topic, timeoutMs);
        }
    }

    private boolean exists(String topic, long timeoutMs) throws TimeoutException, InterruptedException {
        try {
            admin.describeTopics(Set.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw new TopicSetupException(
                        "not authorised to describe Kafka topic '" + topic + "' at " + settings.bootstrapServers()
                                + ": grant DESCRIBE and WRITE on it to this client",
                        e.getCause());
            }
            throw timeoutOrFailure(topic, e);
        }
    }

    private void create(String topic, long timeoutMs) throws TimeoutException, InterruptedException {
        Optional<Short> replication =
                settings.replicationFactor() < 0 ? Optional.empty() : Optional.of(settings.replicationFactor());
        NewTopic newTopic = new NewTopic(topic, Optional.of(settings.topicPartitions()), replication);
        try {
            admin.createTopics(Set.of(newTopic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException) {
                return;
            }
            if (cause instanceof TopicAuthorizationException || cause instanceof ClusterAuthorizationException) {
                throw new TopicSetupException(
                        "Kafka topic '" + topic + "' does not exist at "
                                + settings.bootstrapServers() + " and this client may not create it ("
                                + cause.getMessage()
                                + "): create it beforehand with " + settings.topicPartitions()
                                + " partitions, or grant CREATE",
                        cause);
            }
            if (cause instanceof PolicyViolationException) {
                throw new TopicSetupException(
                        "the broker at " + settings.bootstrapServers() + " refused to create Kafka topic '" + topic
                                + "': " + cause.getMessage(),
                        cause);
            }
            throw timeoutOrFailure(topic, e);
        }
    }

    private TimeoutException timeoutOrFailure(String topic, ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            TimeoutException timeout = new TimeoutException(
                    "no answer from " + settings.bootstrapServers() + " about topic '" + topic + "'");
            timeout.initCause(e.getCause());
            return timeout;
        }
        throw new TopicSetupException(
                "cannot set up Kafka topic '" + topic + "' at " + settings.bootstrapServers() + ": " + e.getCause(),
                e.getCause());
    }
}
