package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.Pacing;
import io.captioner.connector.sim.SimulatedCall;
import io.captioner.service.demo.DemoCommand;
import io.captioner.service.demo.DemoConversations;
import io.captioner.service.demo.SpeechSynthesizer;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.StreamEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More audio than two cores can decode in real time: the simulated Asterisk sends every call's
 * audio as fast as the sockets take it, and more legs than the configured limit. The service
 * refuses the legs past the limit (and hangs up their taps), skips partials and then drops the oldest audio of legs that
 * fall behind, shows it in its metrics, keeps its memory bounded, and still delivers the finals
 * of every call it accepted.
 */
class OverloadTest {
    @TempDir
    Path work;

    @Test
    void shedsLoadButDeliversTheFinalsOfAcceptedLegs() throws Exception {
        int calls = 3;
        try (ServiceHarness harness = new ServiceHarness(
                Pacing.TWENTY_TIMES_REAL_TIME,
                Map.of("limits.maxLegs", "4", "limits.partialBacklog", "200ms", "limits.maxBacklog", "8s"))) {
            SpeechSynthesizer tts = new SpeechSynthesizer(work);
            for (int i = 0; i < calls; i++) {
                SimulatedCall call = DemoCommand.simulatedCall(DemoConversations.forCall(i), tts);
                harness.asterisk.place(call);
            }
            // the refused legs' taps are hung up at once, while their call goes on: Asterisk stops spying on them
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            List<String> audioSockets = List.of();
            while (System.nanoTime() < deadline) {
                boolean bothRefused = metric(harness.get("/metrics").body(), "captioner_legs_refused_total") == 2;
                audioSockets = harness.asterisk.channelNames().stream()
                        .filter(n -> n.startsWith("AudioSocket/"))
                        .toList();
                if (bothRefused && audioSockets.size() == 4) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(
                    4, audioSockets.size(), "taps of the 4 accepted legs only, once 2 were refused: " + audioSockets);
            List<StreamEvent> events = harness.readUntilCallsEnded(calls, Duration.ofSeconds(150));

            List<LegError> refused = events.stream()
                    .filter(e -> e instanceof LegError l && l.code().equals(LegError.OVERLOAD_REFUSED))
                    .map(e -> (LegError) e)
                    .toList();
            assertEquals(2, refused.size(), "6 legs against a limit of 4: " + refused);
            Set<String> refusedLegs = refused.stream().map(LegError::legId).collect(Collectors.toSet());
            List<CaptionEvent> captions = events.stream()
                    .filter(e -> e instanceof CaptionEvent)
                    .map(e -> (CaptionEvent) e)
                    .toList();
            assertTrue(
                    captions.stream().noneMatch(c -> refusedLegs.contains(c.legId())), "refused legs get no captions");
            // a leg that fell behind keeps only its newest audio, which may hold no words: finals are owed per
            // call, and to every segment that showed a partial
            Set<String> callsWithText = captions.stream()
                    .filter(c -> !c.partial() && !c.text().isEmpty())
                    .map(CaptionEvent::callId)
                    .collect(Collectors.toSet());
            assertEquals(2, callsWithText.size(), "both accepted calls get finals with text: " + callsWithText);
            Set<String> finalSegments = captions.stream()
                    .filter(c -> !c.partial())
                    .map(CaptionEvent::segmentId)
                    .collect(Collectors.toSet());
            Set<String> unclosed = captions.stream()
                    .filter(CaptionEvent::partial)
                    .map(CaptionEvent::segmentId)
                    .filter(segment -> !finalSegments.contains(segment))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), unclosed, "every segment with a partial ends with a final");

            String metrics = harness.get("/metrics").body();
            assertEquals(2.0, metric(metrics, "captioner_legs_refused_total"), metrics);
            assertTrue(
                    metric(metrics, "captioner_partials_skipped_total") > 0, "partials were skipped first\n" + metrics);
            assertTrue(
                    metric(metrics, "captioner_backlog_frames_dropped_total") > 0,
                    "then the oldest audio was dropped\n" + metrics);

            System.gc();
            long usedHeap =
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertTrue(usedHeap < 400L * 1024 * 1024, "heap stays bounded: " + usedHeap / (1024 * 1024) + " MB");
        }
    }

    static double metric(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$")
                .matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
