package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.fail;

import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.PublisherSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** One embedded broker shared by the test classes that do not stop it, plus helpers. */
public final class TestKafka {
    private static EmbeddedKafkaBroker shared;

    private TestKafka() {}

    public static synchronized EmbeddedKafkaBroker sharedBroker() {
        if (shared == null) {
            shared = EmbeddedKafkaBroker.startDefault();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Client settings that notice problems in seconds rather than minutes. */
    public static Map<String, String> fastClientProperties() {
        return Map.of(
                "request.timeout.ms",
                "3000",
                "max.block.ms",
                "3000",
                "reconnect.backoff.ms",
                "50",
                "reconnect.backoff.max.ms",
                "500",
                "retry.backoff.ms",
                "100",
                "metadata.max.age.ms",
                "5000");
    }

    public static PublisherSettings.Builder settings(String bootstrap) {
        return PublisherSettings.builder(bootstrap)
                .topic("captions-" + UUID.randomUUID().toString().substring(0, 8))
                .topicPartitions(4)
                .probeInterval(Duration.ofMillis(500))
                .probeTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofSeconds(5))
                .kafkaProperties(fastClientProperties());
    }

    /** Reads from the beginning until {@code done} holds for everything read so far, or fails after the timeout. */
    public static List<CaptionConsumer.Received> readUntil(
            String bootstrap,
            Collection<String> topics,
            Predicate<List<CaptionConsumer.Received>> done,
            Duration timeout) {
        List<CaptionConsumer.Received> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (CaptionConsumer consumer = new CaptionConsumer(bootstrap, topics, true, Map.of())) {
            while (!done.test(all)) {
                if (System.nanoTime() > deadline) {
                    Map<Integer, Long> perPartition = new java.util.TreeMap<>();
                    all.forEach(r -> perPartition.merge(r.partition(), 1L, Long::sum));
                    fail("read " + all.size() + " records (per partition " + perPartition + ") from " + topics
                            + " before the timeout, condition unmet");
                }
                all.addAll(consumer.poll(Duration.ofMillis(200)));
            }
        }
        return all;
    }

    /** A port nothing listens on. */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
