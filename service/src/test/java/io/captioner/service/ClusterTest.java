package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.config.Config;
import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.Pacing;
import io.captioner.service.demo.Conversation;
import io.captioner.service.demo.DemoCommand;
import io.captioner.service.demo.DemoConversations;
import io.captioner.service.demo.SpeechSynthesizer;
import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.StreamEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tapper and recognizers on one embedded broker and one simulated Asterisk: the recognizers share the calls
 * through their consumer group. A recognizer that joins mid-call takes partitions, and their calls, over; one
 * that stops or dies mid-call leaves its calls to the other, which captions them again from their start. After de-duplication by {@code eventId} every final of
 * every call is there once, with the texts an all-in-one service gives for the same calls.
 */
class ClusterTest {
    private static final String SECRET = "cluster-secret";
    private static final int CALLS = 3;

    @TempDir
    Path work;

    @Test
    void recognizersJoiningAndLeavingMidCallLoseNoFinal() throws Exception {
        SpeechSynthesizer voices = new SpeechSynthesizer(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
                FakeAsterisk asterisk = FakeAsterisk.start(
                        FakeAsterisk.Settings.local("captioner", SECRET).withPacing(Pacing.REAL_TIME))) {
            Map<String, String> kafka = Map.of("kafka.bootstrap", broker.bootstrapServers(), "http.port", "0");

            List<StreamEvent> clustered;
            Map<String, String> recognizer = with(
                    kafka,
                    Map.of("cluster.role", "recognizer", "cluster.sessionTimeout", "6s", "kafka.topic", "captions"));
            try (CaptionerApp first = start(recognizer);
                    CaptionerApp tapper = start(with(kafka, tapping(asterisk, "tapper")))) {
                awaitMetric(first, "captioner_audio_partitions_assigned", v -> v == 12);
                List<CompletableFuture<Void>> ended = placeCalls(asterisk, voices);
                Thread.sleep(3_000);
                // a second recognizer joins mid-call: half the partitions move to it, with their calls
                try (CaptionerApp second = start(recognizer)) {
                    awaitMetric(second, "captioner_audio_partitions_assigned", v -> v > 0);
                    awaitMetric(first, "captioner_audio_partitions_assigned", v -> v < 12);
                    // then one with a call in progress stops mid-call (as on SIGTERM): the other takes it over
                    CaptionerApp busy = awaitBusy(first, second);
                    printAudioHop(busy);
                    busy.close();
                    awaitMetric(busy == first ? second : first, "captioner_audio_partitions_assigned", v -> v == 12);
                    CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new))
                            .get(120, TimeUnit.SECONDS);
                    clustered = ServiceHarness.readUntilCallsEnded(
                            broker.bootstrapServers(), "captions", CALLS, Duration.ofSeconds(120));
                }
            }

            List<StreamEvent> single;
            try (CaptionerApp allInOne = start(
                    with(with(kafka, tapping(asterisk, "all-in-one")), Map.of("kafka.topic", "captions-single")))) {
                List<CompletableFuture<Void>> ended = placeCalls(asterisk, voices);
                CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                single = ServiceHarness.readUntilCallsEnded(
                        broker.bootstrapServers(), "captions-single", CALLS, Duration.ofSeconds(120));
            }

            Map<String, StreamEvent> unique = new LinkedHashMap<>();
            int finalsSentAgain = 0;
            for (StreamEvent e : clustered) {
                StreamEvent before = unique.putIfAbsent(e.eventId(), e);
                if (before instanceof CaptionEvent a && e instanceof CaptionEvent b && !a.partial()) {
                    finalsSentAgain++;
                    assertEquals(a.text(), b.text(), "a final sent again by the take-over is the same: " + e.eventId());
                }
            }
            assertTrue(finalsSentAgain > 0, "the take-over captioned the stopped recognizer's calls again");
            List<StreamEvent> deduplicated = List.copyOf(unique.values());
            assertEquals(CALLS, count(deduplicated, EventType.CALL_STARTED), "each call started once");
            assertEquals(CALLS, count(deduplicated, EventType.CALL_ENDED), "each call ended once");
            assertFinalsDoNotOverlap(deduplicated);
            // Two real-time runs do not hear exactly the same audio (a frame's arrival time places it on the leg's
            // time line), so the all-in-one run is compared by word error rate; a take-over decodes the records of
            // the same tapper, and gives exactly the same finals (above).
            Map<String, List<String>> expected = finals(single);
            Map<String, List<String>> got = finals(deduplicated);
            assertEquals(expected.keySet(), got.keySet(), "every call's legs have finals");
            String reference = String.join(
                    " ",
                    expected.values().stream().map(l -> String.join(" ", l)).toList());
            String hypothesis = String.join(
                    " ", got.values().stream().map(l -> String.join(" ", l)).toList());
            assertTrue(
                    WordErrorRate.of(reference, hypothesis) <= 0.10,
                    "the cluster's finals are the all-in-one service's:\n" + expected + "\n" + got);
        }
    }

    /**
     * A recognizer process killed ({@code SIGKILL}) mid-call: Kafka gives its partitions to the other recognizer when
     * its session times out, and the other captions the killed one's open calls again from their start.
     */
    @Test
    void aKilledRecognizersCallsMoveToTheOtherWithinTheSessionTimeout() throws Exception {
        SpeechSynthesizer voices = new SpeechSynthesizer(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
                FakeAsterisk asterisk = FakeAsterisk.start(
                        FakeAsterisk.Settings.local("captioner", SECRET).withPacing(Pacing.REAL_TIME))) {
            int killedPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                killedPort = free.getLocalPort();
            }
            Path config = work.resolve("recognizer.yaml");
            java.nio.file.Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "cluster.role: recognizer",
                            "cluster.sessionTimeout: 6s",
                            "http.port: " + killedPort,
                            "kafka.bootstrap: " + broker.bootstrapServers(),
                            "model.dir: " + ServiceHarness.MODEL,
                            ""));
            Process killed = ServiceHarness.startProcess(config, work.resolve("killed.log"));
            Map<String, String> kafka = Map.of("kafka.bootstrap", broker.bootstrapServers(), "http.port", "0");
            try (CaptionerApp survivor =
                            start(with(kafka, Map.of("cluster.role", "recognizer", "cluster.sessionTimeout", "6s")));
                    CaptionerApp tapper = start(with(kafka, tapping(asterisk, "tapper")))) {
                awaitMetric(killedPort, "captioner_audio_partitions_assigned", v -> v > 0);
                awaitMetric(survivor.httpPort(), "captioner_audio_partitions_assigned", v -> v > 0);
                HttpResponse<String> ready = ServiceHarness.get(survivor.httpPort(), "/ready", Duration.ofSeconds(10));
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("audioTopicKeepingUp"), ready.body());
                List<CompletableFuture<Void>> ended = new ArrayList<>();
                for (int i = 0; ended.size() < 6 && metric(killedPort, "captioner_active_calls") < 1; i++) {
                    // calls until one lands on the recognizer to be killed (Kafka places a call by its id's hash)
                    ended.add(asterisk.place(DemoCommand.simulatedCall(DemoConversations.forCall(i), voices))
                            .ended());
                    Thread.sleep(1_000);
                }
                assertTrue(metric(killedPort, "captioner_active_calls") >= 1, "a call went to the recognizer to kill");
                Thread.sleep(5_000);
                killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // no shutdown hook, no leaving the group
                long killedAt = System.nanoTime();
                awaitMetric(survivor.httpPort(), "captioner_audio_partitions_assigned", v -> v == 12);
                double failOverSeconds = (System.nanoTime() - killedAt) / 1e9;
                System.out.printf(
                        "fail-over: the survivor held every partition %.1f s after the kill%n", failOverSeconds);
                assertTrue(failOverSeconds < 6 + 10, "calls move within the session timeout and a rebalance");

                CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                List<StreamEvent> events = ServiceHarness.readUntilCallsEnded(
                        broker.bootstrapServers(), "captions", ended.size(), Duration.ofSeconds(120));
                Map<String, StreamEvent> unique = new LinkedHashMap<>();
                for (StreamEvent e : events) {
                    StreamEvent before = unique.putIfAbsent(e.eventId(), e);
                    if (before instanceof CaptionEvent a && e instanceof CaptionEvent b && !a.partial()) {
                        assertEquals(a.text(), b.text(), "a final sent again is the same: " + e.eventId());
                    }
                }
                List<StreamEvent> deduplicated = List.copyOf(unique.values());
                assertEquals(ended.size(), count(deduplicated, EventType.CALL_ENDED), "each call ended once");
                assertFinalsDoNotOverlap(deduplicated);
                // by call and leg id: a fourth call repeats the first one's numbers (DemoConversations has three)
                long legsWithFinals = deduplicated.stream()
                        .filter(e -> e instanceof CaptionEvent c && !c.partial())
                        .map(e -> e.callId() + "/" + ((CaptionEvent) e).legId())
                        .distinct()
                        .count();
                assertEquals(2 * ended.size(), legsWithFinals, "both legs of every call have finals");
            } finally {
                killed.destroyForcibly();
            }
        }
    }

    /**
     * The tapper killed ({@code SIGKILL}) mid-call and started again: the new tapper taps the call in progress
     * again. The recognizer ends the earlier run's legs with their last finals and a {@code STREAM_BROKEN} error
     * each, then captions the new run to the call's end: the gap is reported, never silent.
     */
    @Test
    void aRestartedTappersGapIsReportedAndTheCallGoesOn() throws Exception {
        Conversation longCall = ServiceHarness.longCall();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
                FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", SECRET))) {
            Path config = work.resolve("tapper.yaml");
            java.nio.file.Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "cluster.role: tapper",
                            "ami.port: " + asterisk.amiPort(),
                            "ami.secret: " + SECRET,
                            "audiosocket.port: 0",
                            "http.port: 0",
                            "kafka.bootstrap: " + broker.bootstrapServers(),
                            ""));
            Map<String, String> recognizer = Map.of(
                    "cluster.role", "recognizer", "kafka.bootstrap", broker.bootstrapServers(), "http.port", "0");
            Process tapper = ServiceHarness.startProcess(config, work.resolve("tapper-1.log"));
            try (CaptionerApp captions = start(recognizer)) {
                ServiceHarness.awaitTrue(
                        () -> asterisk.loggedInClients() == 1, Duration.ofSeconds(60), "the tapper to log in");
                String callId = asterisk.place(DemoCommand.simulatedCall(longCall, new SpeechSynthesizer(work)))
                        .answered()
                        .get(30, TimeUnit.SECONDS);
                ServiceHarness.readUntil(
                        broker.bootstrapServers(),
                        "captions",
                        events -> finals(events).size() >= 2,
                        Duration.ofSeconds(60));

                tapper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                tapper = ServiceHarness.startProcess(config, work.resolve("tapper-2.log"));
                List<StreamEvent> events = ServiceHarness.readUntilCallsEnded(
                        broker.bootstrapServers(), "captions", 1, Duration.ofSeconds(120));

                List<StreamEvent> errors = events.stream()
                        .filter(e -> e instanceof LegError error && error.code().equals(LegError.STREAM_BROKEN))
                        .toList();
                assertEquals(2, errors.size(), "each leg of the earlier run reports the gap: " + errors);
                assertEquals(2, count(events, EventType.CALL_STARTED), "the new tapper starts the call again");
                assertEquals(1, count(events, EventType.CALL_ENDED), "and the call ends once");
                int lastError = events.indexOf(errors.get(1));
                assertTrue(
                        events.subList(lastError, events.size()).stream()
                                .anyMatch(e -> e instanceof CaptionEvent c && !c.partial()),
                        "the call is captioned on after the gap");
                assertTrue(events.stream().allMatch(e -> e.callId().equals(callId)));
            } finally {
                tapper.destroyForcibly();
            }
        }
    }

    /** A final is there once: no two finals of a leg cover the same stretch of the call. */
    private static void assertFinalsDoNotOverlap(List<StreamEvent> events) {
        Map<String, List<CaptionEvent>> byLeg = new HashMap<>();
        for (StreamEvent e : events) {
            if (e instanceof CaptionEvent c && !c.partial()) {
                byLeg.computeIfAbsent(c.callId() + "/" + c.legId(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        byLeg.forEach((leg, finals) -> {
            for (int i = 1; i < finals.size(); i++) {
                assertTrue(
                        finals.get(i).startMs() >= finals.get(i - 1).endMs(),
                        leg + ": finals overlap: " + finals.get(i - 1) + " and " + finals.get(i));
            }
        });
    }

    private static Map<String, String> tapping(FakeAsterisk asterisk, String role) {
        return Map.of(
                "cluster.role",
                role,
                "ami.port",
                String.valueOf(asterisk.amiPort()),
                "ami.secret",
                SECRET,
                "audiosocket.port",
                "0");
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }

    private static CaptionerApp start(Map<String, String> config) throws Exception {
        Map<String, String> all = new HashMap<>(config);
        all.put("model.dir", ServiceHarness.MODEL.toString());
        return CaptionerApp.start(ServiceSettings.from(Config.of(all), ServiceHarness.HOME));
    }

    private static List<CompletableFuture<Void>> placeCalls(FakeAsterisk asterisk, SpeechSynthesizer voices) {
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            ended.add(asterisk.place(DemoCommand.simulatedCall(DemoConversations.forCall(i), voices))
                    .ended());
        }
        return ended;
    }

    /** The first of the two recognizers seen captioning a call. */
    private CaptionerApp awaitBusy(CaptionerApp first, CaptionerApp second) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (CaptionerApp app : List.of(first, second)) {
                if (metric(app, "captioner_active_calls") > 0) {
                    return app;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no recognizer took a call within 30 s");
    }

    private void awaitMetric(CaptionerApp app, String name, java.util.function.DoublePredicate ok) throws Exception {
        awaitMetric(app.httpPort(), name, ok);
    }

    private void awaitMetric(int port, String name, java.util.function.DoublePredicate ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            value = metric(port, name);
            if (ok.test(value)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " still " + value + " after 60 s");
    }

    /** The audio topic's latency as the recognizer's histogram has it so far (loopback: the tapper is here too). */
    private void printAudioHop(CaptionerApp recognizer) throws Exception {
        String metrics = scrape(recognizer.httpPort()); // one scrape: count and buckets of the same moment
        double count = value(metrics, "captioner_audio_hop_seconds_count");
        double sum = value(metrics, "captioner_audio_hop_seconds_sum");
        StringBuilder shares = new StringBuilder();
        for (String bound : List.of("0.005", "0.01", "0.025", "0.05", "0.1")) {
            double within = value(metrics, "captioner_audio_hop_seconds_bucket{le=\"" + bound + "\"}");
            shares.append(String.format(" <=%s s: %.0f%%", bound, 100 * within / count));
        }
        System.out.printf("audio hop: %.0f records, mean %.1f ms;%s%n", count, 1000 * sum / count, shares);
    }

    private double metric(CaptionerApp app, String name) throws Exception {
        return metric(app.httpPort(), name);
    }

    /** A metric's value from the instance's /metrics on {@code port}; NaN when it has none (or does not answer). */
    private double metric(int port, String name) throws Exception {
        return value(scrape(port), name);
    }

    /** The instance's /metrics; empty when it does not answer (not listening yet). */
    private static String scrape(int port) throws Exception {
        try {
            return ServiceHarness.get(port, "/metrics", Duration.ofSeconds(5)).body();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long count(List<StreamEvent> events, EventType type) {
        return events.stream().filter(e -> e.eventType() == type).count();
    }

    /** Each call's (by caller number) final texts per leg role, in order. */
    private static Map<String, List<String>> finals(List<StreamEvent> events) {
        Map<String, String> callerOf = new HashMap<>();
        for (StreamEvent e : events) {
            if (e instanceof CallStarted s) {
                callerOf.put(s.callId(), s.callerNumber());
            }
        }
        Map<String, List<String>> texts = new TreeMap<>();
        for (StreamEvent e : events) {
            if (e instanceof CaptionEvent c && !c.partial()) {
                texts.computeIfAbsent(callerOf.get(c.callId()) + " " + c.role(), k -> new ArrayList<>())
                        .add(c.text());
            }
        }
        return texts;
    }
}
