package io.captioner.stream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.captioner.stream.TestKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PublisherSettingsTest {
    private static final String SECRET = "s3cret-Pa55";

    @Test
    void secretsNeverReachTheLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        Level kafkaLevel = kafka.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        kafka.setLevel(Level.INFO); // include the Kafka client's own configuration dump
        try {
            PublisherSettings settings = TestKafka.settings("127.0.0.1:" + TestKafka.closedPort())
                    .probeTimeout(Duration.ofMillis(500))
                    .shutdownTimeout(Duration.ZERO)
                    .kafkaProperty("sasl.mechanism", "PLAIN")
                    .kafkaProperty(
                            "sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule "
                                    + "required username=\"captioner\" password=\"" + SECRET + "\";")
                    .kafkaProperty("ssl.truststore.password", SECRET)
                    .build();
            assertFalse(settings.toString().contains(SECRET), settings.toString());
            assertTrue(settings.toString().contains("sasl.jaas.config=" + KafkaSecrets.MASK), settings.toString());
            CaptionPublisher.start(settings).shutdown();
        } finally {
            root.detachAppender(appender);
            kafka.setLevel(kafkaLevel);
        }
        assertTrue(
                appender.list.stream()
                                .filter(e -> e.getFormattedMessage().contains("sasl.jaas.config"))
                                .count()
                        >= 2,
                "captured our settings line and the Kafka client's configuration dump, both naming the property");
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                            ? ""
                            : event.getThrowableProxy().getMessage());
            assertFalse(text.contains(SECRET), text);
        }
    }

    @Test
    void deliveryGuaranteesCannotBeWeakenedThroughPassThroughProperties() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder("h:9092")
                        .kafkaProperty("acks", "1")
                        .build());
        assertEquals(
                "caption publisher settings: kafka property 'acks' is fixed by the caption publisher (acks=all, "
                        + "idempotence on, one request in flight, string serializers) and cannot be set to '1'",
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder("h:9092")
                        .kafkaProperty("enable.idempotence", "false")
                        .build());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder("h:9092")
                        .kafkaProperty("max.in.flight.requests.per.connection", "5")
                        .build());
        assertTrue(e.getMessage().contains("'max.in.flight.requests.per.connection'"), e.getMessage());
        PublisherSettings.builder("h:9092")
                .kafkaProperty("acks", "all")
                .kafkaProperty("max.in.flight.requests.per.connection", "1")
                .build();
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder("h:9092")
                        .maxBufferedEvents(10)
                        .maxInFlightEvents(20)
                        .build());
        assertTrue(e.getMessage().contains("maxInFlightEvents"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder(" ").build());
        assertTrue(e.getMessage().contains("bootstrapServers"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PublisherSettings.builder("h:9092")
                        .shutdownTimeout(Duration.ofSeconds(-1))
                        .build());
        assertTrue(e.getMessage().contains("shutdownTimeout"), e.getMessage());
    }
}
