package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.LegInfo;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.event.Word;
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
import org.junit.jupiter.api.Test;

/** Many calls published concurrently (each leg from its own thread) through a real broker. */
class ConcurrentCallsTest {
    private static final int CALLS = 40;
    private static final int SEGMENTS_PER_LEG = 6;
    private static final int PARTIALS_PER_SEGMENT = 3;
    private static final ModelInfo MODEL = new ModelInfo("u2pp-moe-test", "0.1");

    @Test
    void perCallOrderAndSequenceAreIntactAndEveryEventIsSchemaValid() throws Exception {
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        CaptionPublisher publisher =
                CaptionPublisher.start(TestKafka.settings(bootstrap).build());
        String topic = publisher.settings().topic();
        assertTrue(publisher.isReady(), "ready: " + publisher.stats().lastError());

        Map<String, List<String>> publishedIdsByLeg = Collections.synchronizedMap(new HashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ExecutorService agentLegs = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int c = 0; c < CALLS; c++) {
            String callId = "call" + c;
            calls.add(pool.submit(() -> {
                runCall(publisher, callId, agentLegs, publishedIdsByLeg);
                return null;
            }));
        }
        for (Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();
        agentLegs.shutdown();
        assertTrue(publisher.flush(Duration.ofSeconds(30)), () -> "flush: " + publisher.stats());
        PublisherStats stats = publisher.stats();
        ShutdownReport report = publisher.shutdown();
        assertTrue(report.allDelivered(), report.toString());

        int perLeg = SEGMENTS_PER_LEG * (PARTIALS_PER_SEGMENT + 1);
        int expected = CALLS * (2 + 2 * perLeg + 1); // started, 2 legs, one leg error, ended
        assertEquals(expected, stats.sent());
        assertEquals(0, stats.droppedPartials());
        List<CaptionConsumer.Received> records =
                TestKafka.readUntil(bootstrap, List.of(topic), all -> all.size() >= expected, Duration.ofSeconds(60));
        assertEquals(expected, records.size());

        Map<String, List<StreamEvent>> byCall = new HashMap<>();
        Map<String, List<String>> readIdsByLeg = new HashMap<>();
        for (CaptionConsumer.Received r : records) {
            assertEquals(List.of(), EventSchema.validate(r.json()), r.json());
            assertEquals(r.event().callId(), r.key(), "record key is the call id");
            byCall.computeIfAbsent(r.event().callId(), k -> new ArrayList<>()).add(r.event());
            if (r.event() instanceof CaptionEvent caption) {
                readIdsByLeg
                        .computeIfAbsent(caption.callId() + "/" + caption.legId(), k -> new ArrayList<>())
                        .add(caption.eventId());
            }
        }
        assertEquals(CALLS, byCall.size());
        for (List<StreamEvent> events : byCall.values()) {
            for (int i = 0; i < events.size(); i++) {
                assertEquals(
                        i,
                        events.get(i).sequence(),
                        "sequence of " + events.get(i).eventId());
            }
            assertTrue(events.get(0).eventId().contains(":started:"));
            assertTrue(events.get(events.size() - 1).eventId().endsWith(":ended"));
        }
        assertEquals(publishedIdsByLeg, readIdsByLeg, "each leg's captions arrive in the order published");

        System.out.printf(
                "concurrent calls: %d events, send latency mean %.1f ms, p50 <= %d ms, p99 <= %d ms%n",
                stats.sent(),
                stats.sendLatency().meanMs(),
                stats.sendLatency().quantileUpperBoundMs(0.5),
                stats.sendLatency().quantileUpperBoundMs(0.99));
    }

    /** A call's two legs are published from two threads at once, as the recogniser would. */
    private static void runCall(
            CaptionPublisher publisher,
            String callId,
            ExecutorService pool,
            Map<String, List<String>> publishedIdsByLeg)
            throws Exception {
        CallEventFactory call =
                new CallEventFactory(callId, Instant.now(), MODEL, Clock.systemUTC(), RedactionRules.none());
        publish(
                publisher,
                call.callStarted(
                        "+100" + callId.length(),
                        "600",
                        List.of(new LegInfo("in", Role.CALLER, null), new LegInfo("out", Role.AGENT, null))));
        Future<?> agent = pool.submit(() -> leg(publisher, call, "out", Role.AGENT, publishedIdsByLeg));
        leg(publisher, call, "in", Role.CALLER, publishedIdsByLeg);
        agent.get();
        publish(publisher, call.legError("out", Role.AGENT, LegError.STREAM_BROKEN, "AudioSocket closed"));
        publish(publisher, call.callEnded("hangup"));
    }

    private static Void leg(
            CaptionPublisher publisher,
            CallEventFactory call,
            String legId,
            Role role,
            Map<String, List<String>> publishedIdsByLeg) {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < SEGMENTS_PER_LEG; s++) {
            long start = s * 2_000L;
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < PARTIALS_PER_SEGMENT; p++) {
                text.append(p == 0 ? "" : " ").append("word").append(p);
                CaptionEvent partial = call.partial(
                        legId, role, "s" + s, start, start + 300L * (p + 1), text.toString(), List.of(), 0.5, 0);
                publish(publisher, partial);
                ids.add(partial.eventId());
            }
            CaptionEvent fin = call.finalCaption(
                    legId,
                    role,
                    "s" + s,
                    start,
                    start + 1_000,
                    text + ".",
                    List.of(new Word("word0", start, start + 300, 0.9)),
                    0.9);
            publish(publisher, fin);
            ids.add(fin.eventId());
        }
        publishedIdsByLeg.put(call.callId() + "/" + legId, ids);
        return null;
    }

    private static void publish(CaptionPublisher publisher, StreamEvent event) {
        assertEquals(PublishOutcome.ACCEPTED, publisher.publish(event), event.eventId());
    }
}
