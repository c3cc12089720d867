package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.captioner.connector.sim.Pacing;
import io.captioner.connector.sim.PartyAudio;
import io.captioner.connector.sim.SimulatedCall;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP face of a running service: readiness, metrics, the calls API, hotwords and the bearer token. */
class HttpApiTest {
    private static final String TOKEN = "api-token-for-tests";

    @Test
    void callsApiShowsLegsAndTakesHotwordsFromTheDialplanAndTheApi() throws Exception {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level level = root.getLevel();
        root.setLevel(Level.DEBUG);
        try (ServiceHarness harness = new ServiceHarness(Pacing.REAL_TIME, Map.of("http.token", TOKEN))) {
            HttpResponse<String> ready = harness.get("/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(
                    ready.body().contains("\"managerConnected\":true")
                            && ready.body().contains("\"kafkaReachable\":true")
                            && ready.body().contains("\"modelLoaded\":true"),
                    ready.body());
            assertTrue(harness.get("/metrics")
                    .headers()
                    .firstValue("Content-Type")
                    .orElse("")
                    .startsWith("text/plain"));

            assertEquals(401, harness.get("/api/calls").statusCode(), "the API needs the bearer token");
            SimulatedCall call = SimulatedCall.builder(PartyAudio.tone(440, 8_000), PartyAudio.tone(1000, 8_000))
                    .numbers("5550100", "1000")
                    .variable("CAPTION_HOTWORDS", "account number, balance")
                    .build();
            String callId = harness.asterisk.place(call).answered().get();

            // the connector's call snapshot and the listener's events travel separately: wait for both
            String hotwords = awaitBody(
                    harness, "/api/calls?access_token=" + TOKEN, "\"hotwords\":[\"account number\",\"balance\"]");
            assertTrue(
                    hotwords.contains("\"hotwords\":[\"account number\",\"balance\"]"),
                    "hotwords from the channel variable: " + hotwords);
            String calls = awaitBody(harness, "/api/calls?access_token=" + TOKEN, "\"state\":\"live\"");
            assertTrue(calls.contains("\"callId\":\"" + callId + "\""), calls);
            assertTrue(calls.contains("\"role\":\"CALLER\"") && calls.contains("\"role\":\"AGENT\""), calls);
            assertTrue(calls.contains("\"state\":\"live\""), calls);

            assertEquals(
                    401,
                    harness.put("/api/calls/" + callId + "/hotwords", "{\"phrases\":[\"refund\"]}", null)
                            .statusCode());
            HttpResponse<String> set = harness.put(
                    "/api/calls/" + callId + "/hotwords", "{\"phrases\":[\"refund\"],\"boost\":2.5}", TOKEN);
            assertEquals(200, set.statusCode(), set.body());
            assertTrue(awaitBody(harness, "/api/calls?access_token=" + TOKEN, "\"hotwords\":[\"refund\"]")
                    .contains("refund"));
            assertEquals(
                    404,
                    harness.put("/api/calls/no-such-call/hotwords", "{\"phrases\":[\"refund\"]}", TOKEN)
                            .statusCode());
            HttpResponse<String> unspellable =
                    harness.put("/api/calls/" + callId + "/hotwords", "{\"phrases\":[\"€€€\"]}", TOKEN);
            assertEquals(400, unspellable.statusCode(), unspellable.body());
            assertEquals(
                    400,
                    harness.put("/api/calls/" + callId + "/hotwords", "{\"words\":1}", TOKEN)
                            .statusCode());
            HttpResponse<String> wordyBoost = harness.put(
                    "/api/calls/" + callId + "/hotwords", "{\"phrases\":[\"refund\"],\"boost\":\"high\"}", TOKEN);
            assertEquals(400, wordyBoost.statusCode(), wordyBoost.body());
        } finally {
            root.setLevel(level);
            root.detachAppender(logs);
        }
        assertTrue(logs.list.size() > 10, "DEBUG logs were captured");
        assertTrue(
                logs.list.stream().noneMatch(e -> e.getFormattedMessage().contains(TOKEN)),
                "the token (also sent as ?access_token=) is never logged, not even at DEBUG");
    }

    private static String awaitBody(ServiceHarness harness, String path, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String body = harness.get(path).body();
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            body = harness.get(path).body();
        }
        return body;
    }
}
