package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublishOutcome;
import io.captioner.stream.kafka.TopicSetupException;
import io.captioner.stream.redact.RedactionRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSetupTest {
    private final CallEventFactory call = new CallEventFactory(
            "t1", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());

    @Test
    void aMissingTopicWithCreationDisabledIsReportedAndEventsWaitUntilItExists() throws Exception {
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        String topic = "absent-" + UUID.randomUUID();
        CaptionPublisher publisher = CaptionPublisher.start(
                TestKafka.settings(bootstrap).topic(topic).createTopics(false).build());
        assertTrue(publisher.isBrokerReachable());
        assertFalse(publisher.isReady());
        String expected = "Kafka topic '" + topic + "' does not exist at " + bootstrap
                + " and topic creation is disabled (createTopics=false)";
        assertTrue(
                publisher.stats().lastError().startsWith(expected),
                publisher.stats().lastError());
        TopicSetupException e = assertThrows(TopicSetupException.class, publisher::ensureTopics);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());

        assertEquals(PublishOutcome.ACCEPTED, publisher.publish(call.callStarted(null, null, List.of())));
        assertFalse(publisher.flush(Duration.ofMillis(500)), "nowhere to deliver yet");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        assertTrue(publisher.flush(Duration.ofSeconds(30)), "delivered once the topic exists");
        long deadline = System.currentTimeMillis() + 5_000;
        while (!publisher.isReady() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(publisher.isReady());
        assertTrue(publisher.shutdown().allDelivered());
    }

    @Test
    void aBrokerThatRefusesTopicCreationGetsAClearError() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .brokerProperty("create.topic.policy.class.name", RefuseTopicCreation.class.getName())
                .build()) {
            broker.start();
            CaptionPublisher publisher = CaptionPublisher.start(TestKafka.settings(broker.bootstrapServers())
                    .topic("captions")
                    .build());
            assertTrue(publisher.isBrokerReachable());
            assertFalse(publisher.isReady());
            TopicSetupException e = assertThrows(TopicSetupException.class, publisher::ensureTopics);
            assertTrue(
                    e.getMessage()
                            .startsWith("the broker at " + broker.bootstrapServers()
                                    + " refused to create Kafka topic 'captions': " + RefuseTopicCreation.REASON),
                    e.getMessage());
            assertEquals(e.getMessage(), publisher.stats().lastError());
            publisher.shutdown();
        }
    }

    @Test
    void partialsCanGoToTheirOwnTopic() throws Exception {
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        String finals = "finals-" + UUID.randomUUID();
        String partials = "partials-" + UUID.randomUUID();
        CaptionPublisher publisher = CaptionPublisher.start(TestKafka.settings(bootstrap)
                .topic(finals)
                .partialTopic(partials)
                .build());
        assertTrue(publisher.isReady(), String.valueOf(publisher.stats().lastError()));
        publisher.publish(call.partial("caller", Role.CALLER, "1", 0, 10, "he", List.of(), 0.5, 0));
        publisher.publish(call.finalCaption("caller", Role.CALLER, "1", 0, 20, "hello", List.of(), 0.9));
        assertTrue(publisher.flush(Duration.ofSeconds(20)));
        publisher.shutdown();
        List<CaptionConsumer.Received> read = TestKafka.readUntil(
                bootstrap, List.of(finals, partials), all -> all.size() >= 2, Duration.ofSeconds(20));
        for (CaptionConsumer.Received r : read) {
            assertEquals(r.event().eventType() == EventType.PARTIAL_CAPTION ? partials : finals, r.topic());
        }
    }
}
