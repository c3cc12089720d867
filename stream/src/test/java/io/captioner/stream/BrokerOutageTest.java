package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublishOutcome;
import io.captioner.stream.kafka.PublisherStats;
import io.captioner.stream.kafka.ShutdownReport;
import io.captioner.stream.redact.RedactionRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The broker is stopped while calls are being captioned and started again on the same port and data. */
class BrokerOutageTest {
    private static final int CALLS = 6;
    private static final int SEGMENTS = 30;
    private static final int PARTIALS_PER_SEGMENT = 4;
    private static final long EVENT_INTERVAL_MS = 40;

    @Test
    void everyFinalIsDeliveredOnceAndInOrderAcrossABrokerRestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            broker.start();
            String bootstrap = broker.bootstrapServers();
            CaptionPublisher publisher = CaptionPublisher.start(TestKafka.settings(bootstrap)
                    .maxBufferedEvents(300)
                    .maxInFlightEvents(50)
                    .fullBufferWait(Duration.ofSeconds(10))
                    .build());
            String topic = publisher.settings().topic();
            assertTrue(
                    publisher.isReady(),
                    "ready before the outage: " + publisher.stats().lastError());

            Map<String, List<String>> finalsByLeg = Collections.synchronizedMap(new HashMap<>());
            AtomicLong publishedPartials = new AtomicLong();
            AtomicInteger notAccepted = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CALLS);
            List<Future<?>> calls = new ArrayList<>();
            for (int c = 0; c < CALLS; c++) {
                String callId = "out" + c;
                calls.add(pool.submit(() -> runCall(publisher, callId, finalsByLeg, publishedPartials, notAccepted)));
            }

            Thread.sleep(1_500);
            broker.stop();
            boolean sawUnreachable = false;
            long giveUp = System.currentTimeMillis() + 8_000;
            while (!sawUnreachable && System.currentTimeMillis() < giveUp) {
                sawUnreachable = !publisher.isBrokerReachable() && !publisher.isReady();
                Thread.sleep(100);
            }
            Thread.sleep(1_000); // stay down a little longer than it takes to notice
            PublisherStats during = publisher.stats();
            broker.start();

            for (Future<?> f : calls) {
                f.get();
            }
            pool.shutdown();
            assertTrue(publisher.flush(Duration.ofSeconds(60)), "delivered after the restart: " + publisher.stats());
            PublisherStats stats = publisher.stats();
            ShutdownReport report = publisher.shutdown();

            assertTrue(sawUnreachable, "readiness reported the outage; stats then: " + during);
            assertTrue(during.buffered() > 0, "events were held during the outage: " + during);
            assertTrue(stats.brokerReachable(), "reachable after the restart");
            assertEquals(0, stats.rejected(), "no final was rejected: " + stats);
            assertEquals(0, report.undeliveredFinals() + report.undeliveredOther() + report.undeliveredPartials());
            long published = publishedPartials.get() + CALLS * (SEGMENTS + 2L);
            assertEquals(published, stats.accepted() + notAccepted.get(), "only partials went unaccepted: " + stats);
            assertTrue(stats.droppedPartials() > 0, "the outage outlasted the buffer, so partials were dropped");

            long expectedRecords = stats.sent();
            List<CaptionConsumer.Received> records = TestKafka.readUntil(
                    bootstrap, List.of(topic), all -> all.size() >= expectedRecords, Duration.ofSeconds(60));
            Map<String, Long> copies = records.stream()
                    .collect(Collectors.groupingBy(r -> r.event().eventId(), Collectors.counting()));
            assertEquals(
                    List.of(),
                    copies.entrySet().stream().filter(e -> e.getValue() > 1).toList(),
                    "no event was written twice");
            assertEquals(expectedRecords, records.size());

            Map<String, List<String>> readFinalsByLeg = new HashMap<>();
            Map<String, Long> lastSequence = new HashMap<>();
            long readPartials = 0;
            for (CaptionConsumer.Received r : records) {
                StreamEvent e = r.event();
                assertEquals(List.of(), EventSchema.validate(r.json()), r.json());
                Long previous = lastSequence.put(e.callId(), e.sequence());
                assertTrue(
                        previous == null || e.sequence() > previous,
                        "sequence increases within call " + e.callId() + ": " + previous + " then " + e.sequence());
                if (e instanceof CaptionEvent c && !c.partial()) {
                    readFinalsByLeg
                            .computeIfAbsent(c.callId() + "/" + c.legId(), k -> new ArrayList<>())
                            .add(c.eventId());
                } else if (e.eventType() == EventType.PARTIAL_CAPTION) {
                    readPartials++;
                }
            }
            assertEquals(finalsByLeg, readFinalsByLeg, "every final, once, in order");
            assertEquals(publishedPartials.get() - stats.droppedPartials(), readPartials);
            assertEquals(
                    CALLS,
                    records.stream()
                            .filter(r -> r.event().eventType() == EventType.CALL_ENDED)
                            .count());
            System.out.printf(
                    "broker outage: %d finals delivered, %d of %d partials dropped, %d buffered when the broker came back, "
                            + "%d send retries%n",
                    finalsByLeg.values().stream().mapToInt(List::size).sum(),
                    stats.droppedPartials(),
                    publishedPartials.get(),
                    during.buffered(),
                    stats.failedAttempts());
        }
    }

    private static Void runCall(
            CaptionPublisher publisher,
            String callId,
            Map<String, List<String>> finalsByLeg,
            AtomicLong publishedPartials,
            AtomicInteger notAccepted)
            throws Exception {
        CallEventFactory call = new CallEventFactory(
                callId, Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());
        Function<StreamEvent, PublishOutcome> publish = publisher::publish;
        assertEquals(PublishOutcome.ACCEPTED, publish.apply(call.callStarted(null, null, List.of())));
        List<String> finals = new ArrayList<>();
        for (int s = 0; s < SEGMENTS; s++) {
            String leg = s % 2 == 0 ? "caller" : "agent";
            Role role = s % 2 == 0 ? Role.CALLER : Role.AGENT;
            long start = s * 1_000L;
            for (int p = 0; p < PARTIALS_PER_SEGMENT; p++) {
                publishedPartials.incrementAndGet();
                PublishOutcome outcome = publish.apply(
                        call.partial(leg, role, "seg" + s, start, start + 100L * p, "partial " + p, List.of(), 0.5, 0));
                if (outcome != PublishOutcome.ACCEPTED) {
                    assertEquals(PublishOutcome.DROPPED_PARTIAL, outcome);
                    notAccepted.incrementAndGet();
                }
                Thread.sleep(EVENT_INTERVAL_MS);
            }
            CaptionEvent fin =
                    call.finalCaption(leg, role, "seg" + s, start, start + 900, "final " + s, List.of(), 0.9);
            assertEquals(PublishOutcome.ACCEPTED, publish.apply(fin), fin.eventId());
            finals.add(fin.eventId());
            Thread.sleep(EVENT_INTERVAL_MS);
        }
        assertEquals(PublishOutcome.ACCEPTED, publish.apply(call.callEnded("hangup")));
        for (String id : finals) {
            String leg = id.split(":")[1];
            finalsByLeg
                    .computeIfAbsent(callId + "/" + leg, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(id);
        }
        return null;
    }
}
