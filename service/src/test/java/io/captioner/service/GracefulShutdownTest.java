package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.Pacing;
import io.captioner.service.demo.DemoCommand;
import io.captioner.service.demo.DemoConversations;
import io.captioner.service.demo.SpeechSynthesizer;
import io.captioner.stream.event.CallEnded;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.StreamEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the service in the middle of a call: open utterances end as finals, and all of it reaches Kafka. */
class GracefulShutdownTest {
    @TempDir
    Path work;

    @Test
    void stopMidCallPublishesOpenUtterancesAsFinalsAndFlushesKafka() throws Exception {
        try (ServiceHarness harness = new ServiceHarness(Pacing.REAL_TIME, Map.of())) {
            harness.asterisk.place(
                    DemoCommand.simulatedCall(DemoConversations.forCall(1), new SpeechSynthesizer(work)));
            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!metrics.contains("captioner_captions_total{kind=\"partial\"}") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                metrics = harness.get("/metrics").body();
            }
            assertTrue(metrics.contains("captioner_captions_total{kind=\"partial\"}"), "partials flow before the stop");

            harness.app.close(); // mid-call, as on SIGTERM

            List<StreamEvent> events = harness.readUntilCallsEnded(1, Duration.ofSeconds(30));
            assertTrue(events.get(events.size() - 1) instanceof CallEnded, "the call ends in Kafka too");
            Set<String> partialSegments = events.stream()
                    .filter(e -> e instanceof CaptionEvent c && c.partial())
                    .map(e -> ((CaptionEvent) e).segmentId())
                    .collect(Collectors.toSet());
            Set<String> finalSegments = events.stream()
                    .filter(e -> e instanceof CaptionEvent c && !c.partial())
                    .map(e -> ((CaptionEvent) e).segmentId())
                    .collect(Collectors.toSet());
            assertFalse(partialSegments.isEmpty());
            assertTrue(
                    finalSegments.containsAll(partialSegments),
                    "every utterance that had partials got its final: partials " + partialSegments + ", finals "
                            + finalSegments);
        }
    }
}
