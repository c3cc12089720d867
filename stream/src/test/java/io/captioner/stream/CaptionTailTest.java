package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.LegInfo;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.redact.RedactionRules;
import io.captioner.stream.tools.CaptionTail;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CaptionTailTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static String bootstrap;
    private static String topic;

    @BeforeAll
    static void publishTwoCalls() throws Exception {
        bootstrap = TestKafka.sharedBroker().bootstrapServers();
        CaptionPublisher publisher =
                CaptionPublisher.start(TestKafka.settings(bootstrap).build());
        topic = publisher.settings().topic();
        CallEventFactory a = new CallEventFactory(
                "1234",
                START,
                new ModelInfo("m", "1"),
                Clock.fixed(START.plusSeconds(75), ZoneOffset.UTC),
                RedactionRules.none());
        CallEventFactory b =
                new CallEventFactory("99", START, new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());
        publisher.publish(a.callStarted(
                "+15551234",
                "600",
                List.of(new LegInfo("in", Role.CALLER, null), new LegInfo("out", Role.AGENT, null))));
        publisher.publish(a.partial("in", Role.CALLER, "1", 12_300, 12_900, "hel", List.of(), 0.5, 0));
        publisher.publish(b.finalCaption("x", Role.UNKNOWN, "1", 0, 100, "other call", List.of(), 0.9));
        publisher.publish(a.partial("in", Role.CALLER, "1", 12_300, 13_200, "hello there", List.of(), 0.5, 6));
        publisher.publish(a.finalCaption("in", Role.CALLER, "1", 12_300, 13_400, "Hello there.", List.of(), 0.9));
        publisher.publish(a.finalCaption("out", Role.AGENT, "1", 14_000, 15_000, "¿Cómo está?", List.of(), 0.9));
        publisher.publish(a.partial("out", Role.AGENT, "2", 16_000, 16_300, "uh", List.of(), 0.3, 0));
        publisher.publish(a.finalCaption("out", Role.AGENT, "2", 16_000, 16_300, "", List.of(), 0.3));
        publisher.publish(a.legError("out", Role.AGENT, LegError.STREAM_BROKEN, "AudioSocket closed"));
        publisher.publish(a.callEnded("hangup"));
        assertTrue(publisher.flush(Duration.ofSeconds(20)));
        publisher.shutdown();
    }

    @Test
    void linesModeShowsFinalsAndCallEventsLabelledByLeg() {
        Result r = tail(
                "--bootstrap",
                bootstrap,
                "--topic",
                topic,
                "--call",
                "1234",
                "--from-beginning",
                "--lines",
                "--max-events",
                "6");
        assertEquals(0, r.code, r.err);
        assertEquals(
                String.join(
                        "\n",
                        "[call 1234] started +15551234 -> 600, legs: in=CALLER, out=AGENT",
                        "[call 1234] CALLER 00:12.3  Hello there.",
                        "[call 1234] AGENT 00:14.0  ¿Cómo está?",
                        "[call 1234] AGENT 00:16.0  (partial withdrawn)",
                        "[call 1234] AGENT 01:15.0  captions stopped: STREAM_BROKEN (AudioSocket closed)",
                        "[call 1234] ended (hangup) after 01:15.0, 3 final captions",
                        ""),
                r.out);
    }

    @Test
    void onATerminalPartialsAreRewrittenInPlaceAndFinalsStay() {
        Result r = tail(
                "--bootstrap",
                bootstrap,
                "--topic",
                topic,
                "--call",
                "1234",
                "--from-beginning",
                "--in-place",
                "--max-events",
                "4");
        assertEquals(0, r.code, r.err);
        String clear = "\r\033[2K";
        assertEquals(
                "[call 1234] started +15551234 -> 600, legs: in=CALLER, out=AGENT\n"
                        + clear + "[call 1234] CALLER 00:12.3  hel …"
                        + clear + "[call 1234] CALLER 00:12.3  hello there …"
                        + clear + "[call 1234] CALLER 00:12.3  Hello there.\n",
                r.out);
    }

    @Test
    void jsonModePrintsEveryEventOfEveryCallAsValidJson() {
        Result r = tail("--bootstrap", bootstrap, "--topic", topic, "--from-beginning", "--json", "--max-events", "10");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertEquals(10, lines.length);
        for (String line : lines) {
            assertEquals(List.of(), EventSchema.validate(line), line);
        }
        assertTrue(r.out.contains("\"callId\":\"99\""));
    }

    @Test
    void badArgumentsAndUnreachableBrokersGiveClearErrors() {
        Result r = tail("--max-events", "zero");
        assertEquals(2, r.code);
        assertTrue(
                r.err.startsWith("Invalid value for option '--max-events': 'zero' is not a long\nUsage: tail"), r.err);
        r = tail("--frobnicate");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("Unknown option: '--frobnicate'"), r.err);

        r = tail("--bootstrap", bootstrap, "--topic", "no-such-topic");
        assertEquals(1, r.code);
        assertEquals(
                "tail: cannot read captions from Kafka at " + bootstrap + ": Kafka topic 'no-such-topic' does "
                        + "not exist at " + bootstrap + "\n",
                r.err);

        String nowhere = "127.0.0.1:" + TestKafka.closedPort();
        r = tail("--bootstrap", nowhere, "--kafka", "default.api.timeout.ms=1500");
        assertEquals(1, r.code);
        assertTrue(r.err.startsWith("tail: cannot read captions from Kafka at " + nowhere + ": "), r.err);
    }

    private record Result(int code, String out, String err) {}

    private static Result tail(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CaptionTail.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
