package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublishOutcome;
import io.captioner.stream.kafka.PublisherStats;
import io.captioner.stream.kafka.ShutdownReport;
import io.captioner.stream.kafka.SpillFile;
import io.captioner.stream.redact.RedactionRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No broker at the configured address, ever: events are held up to the bound, then reported and spilled. */
class UnreachableBrokerTest {
    private final CallEventFactory call = new CallEventFactory(
            "lost1", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());

    @Test
    void finalsAreHeldUpToTheBoundThenRejectedLoudlyAndSpilledForReplay(@TempDir Path dir) throws Exception {
        String nowhere = "127.0.0.1:" + TestKafka.closedPort();
        Path spill = dir.resolve("undelivered.jsonl");
        CaptionPublisher publisher = CaptionPublisher.start(TestKafka.settings(nowhere)
                .maxBufferedEvents(20)
                .maxInFlightEvents(5)
                .fullBufferWait(Duration.ofMillis(200))
                .probeTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(1))
                .spillFile(spill)
                .build());

        assertFalse(publisher.isReady());
        assertFalse(publisher.isBrokerReachable());
        String error = publisher.stats().lastError();
        assertTrue(error != null && error.contains("cannot reach Kafka at " + nowhere), error);

        List<StreamEvent> finals = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            finals.add(call.finalCaption(
                    "caller", Role.CALLER, "s" + i, i * 1000L, i * 1000L + 500, "final " + i, List.of(), 0.9));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(PublishOutcome.ACCEPTED, publisher.publish(finals.get(i)));
        }
        for (int i = 0; i < 5; i++) {
            CaptionEvent partial = call.partial("agent", Role.AGENT, "p" + i, 0, 10, "partial", List.of(), 0.5, 0);
            assertEquals(PublishOutcome.DROPPED_PARTIAL, publisher.publish(partial), "no room, and nothing droppable");
        }
        long t0 = System.nanoTime();
        for (int i = 20; i < 25; i++) {
            assertEquals(PublishOutcome.REJECTED, publisher.publish(finals.get(i)));
        }
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waitedMs >= 5 * 200 - 50, "each rejected final waited fullBufferWait first, waited " + waitedMs);

        PublisherStats stats = publisher.stats();
        assertEquals(20, stats.buffered(), "bounded: " + stats);
        assertEquals(5, stats.droppedPartials());
        assertEquals(5, stats.rejected());
        assertEquals(0, stats.sent());
        assertFalse(publisher.isReady());

        ShutdownReport report = publisher.shutdown();
        assertEquals(20, report.undeliveredFinals(), report.toString());
        assertEquals(5, report.rejected());
        assertEquals(25, report.spilled());
        assertFalse(report.allDelivered());

        List<String> lines = Files.readAllLines(spill, StandardCharsets.UTF_8);
        assertEquals(25, lines.size());
        for (String line : lines) {
            assertEquals(List.of(), EventSchema.validate(line), line);
        }
        List<StreamEvent> spilled = SpillFile.read(spill);
        assertEquals(
                finals.stream().map(StreamEvent::eventId).sorted().toList(),
                spilled.stream().map(StreamEvent::eventId).sorted().toList());

        // the spill file replays into a reachable broker with ids and sequence numbers unchanged
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        CaptionPublisher replayer =
                CaptionPublisher.start(TestKafka.settings(bootstrap).build());
        assertEquals(25, replayer.replay(spill));
        assertTrue(replayer.flush(Duration.ofSeconds(20)));
        assertTrue(replayer.shutdown().allDelivered());
        List<CaptionConsumer.Received> read = TestKafka.readUntil(
                bootstrap, List.of(replayer.settings().topic()), all -> all.size() >= 25, Duration.ofSeconds(30));
        assertEquals(
                spilled.stream()
                        .map(e -> e.eventId() + "#" + e.sequence())
                        .sorted()
                        .toList(),
                read.stream()
                        .map(r -> r.event().eventId() + "#" + r.event().sequence())
                        .sorted()
                        .toList());
    }

    @Test
    void theByteBoundHoldsForLongUtterances() {
        String nowhere = "127.0.0.1:" + TestKafka.closedPort();
        CaptionPublisher publisher = CaptionPublisher.start(TestKafka.settings(nowhere)
                .maxBufferedEvents(1000)
                .maxBufferedBytes(64 * 1024)
                .fullBufferWait(Duration.ZERO)
                .probeTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ZERO)
                .build());
        String tenKilobytes = "x".repeat(10 * 1024);
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            if (publisher.publish(
                            call.finalCaption("caller", Role.CALLER, "long" + i, 0, 1, tenKilobytes, List.of(), 0.5))
                    == PublishOutcome.ACCEPTED) {
                accepted++;
            }
        }
        PublisherStats stats = publisher.stats();
        assertTrue(stats.bufferedBytes() <= 64 * 1024, stats.toString());
        assertEquals(6, accepted, "six ~10 KiB events fit in 64 KiB");
        assertEquals(14, stats.rejected());
        ShutdownReport report = publisher.shutdown();
        assertEquals(6, report.undeliveredFinals());
    }
}
