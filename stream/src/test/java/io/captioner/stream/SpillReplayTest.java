package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.EventJson;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.redact.RedactionRules;
import io.captioner.stream.tools.SpillReplay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillReplayTest {

    @Test
    void aSpillFileIsPublishedWithItsIdsAndSequencesThenMarkedReplayed(@TempDir Path dir) throws Exception {
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        String topic = "replayed-" + UUID.randomUUID();
        CallEventFactory call = new CallEventFactory(
                "r1", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());
        List<StreamEvent> events = List.of(
                call.finalCaption("in", Role.CALLER, "1", 0, 900, "first", List.of(), 0.9)
                        .withSequence(7),
                call.finalCaption("in", Role.CALLER, "2", 1000, 1900, "second", List.of(), 0.9)
                        .withSequence(9),
                call.callEnded("hangup").withSequence(12));
        Path spill = dir.resolve("undelivered.jsonl");
        Files.write(spill, events.stream().map(EventJson::toJson).toList(), StandardCharsets.UTF_8);

        Result r = replay("--file", spill.toString(), "--bootstrap", bootstrap, "--topic", topic);
        assertEquals(0, r.code, r.err);
        assertEquals(
                "replayed 3 events from " + spill + " to " + bootstrap + "; file renamed to " + spill + ".replayed\n",
                r.out);
        assertFalse(Files.exists(spill));
        List<CaptionConsumer.Received> read =
                TestKafka.readUntil(bootstrap, List.of(topic), all -> all.size() >= 3, Duration.ofSeconds(20));
        assertEquals(events, read.stream().map(CaptionConsumer.Received::event).toList());
    }

    @Test
    void aBadLineOrAnUnreachableBrokerKeepsTheFile(@TempDir Path dir) throws Exception {
        Path spill = dir.resolve("bad.jsonl");
        Files.writeString(spill, "\n{\"eventType\":\"CALL_ENDED\"}\n");
        Result r = replay(
                "--file",
                spill.toString(),
                "--bootstrap",
                "127.0.0.1:" + TestKafka.closedPort(),
                "--timeout",
                "1",
                "--kafka",
                "max.block.ms=1000");
        assertEquals(1, r.code);
        assertTrue(
                r.err.startsWith("replay: cannot read " + spill + ": " + spill + ":2: invalid CALL_ENDED event"),
                r.err);
        assertTrue(Files.exists(spill));

        CallEventFactory call = new CallEventFactory(
                "r2", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());
        Files.writeString(spill, EventJson.toJson(call.callEnded("hangup").withSequence(0)) + "\n");
        String nowhere = "127.0.0.1:" + TestKafka.closedPort();
        r = replay(
                "--file", spill.toString(), "--bootstrap", nowhere, "--timeout", "1", "--kafka", "max.block.ms=1000");
        assertEquals(1, r.code);
        assertTrue(
                r.err.startsWith("replay: 1 of 1 events from " + spill + " were not delivered to " + nowhere
                        + " within 1 s; the file is kept"),
                r.err);
        assertTrue(Files.exists(spill));

        r = replay("--bootstrap", nowhere);
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("Missing required option: '--file=SPILL.jsonl'"), r.err);
    }

    private record Result(int code, String out, String err) {}

    private static Result replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SpillReplay.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
