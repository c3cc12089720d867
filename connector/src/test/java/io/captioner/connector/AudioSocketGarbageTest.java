package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.AudioSocketClientSimulator;
import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.PartyAudio;
import io.captioner.connector.sim.SimulatedCall;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage on the AudioSocket port closes only the offending connection, with a logged reason;
 * the call in progress keeps all its audio and the connector stays up.
 */
class AudioSocketGarbageTest {
    interface Misbehaviour {
        void on(AudioSocketClientSimulator peer) throws Exception;
    }

    Vertx vertx;
    FakeAsterisk asterisk;
    AsteriskConnector connector;
    RecordingListener listener = new RecordingListener();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", "tapsecret"));
    }

    @AfterEach
    void tearDown() throws Exception {
        connector.stop().await(5, TimeUnit.SECONDS);
        asterisk.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    void start(ConnectorSettings.Builder settings) throws Exception {
        connector = new AsteriskConnector(vertx, settings.build(), listener);
        connector.start().await(10, TimeUnit.SECONDS);
    }

    @Test
    void garbageClosesOnlyThatConnectionAndTheCallKeepsItsAudio() throws Exception {
        start(ConnectorEndToEndTest.testSettings(asterisk.amiPort()));
        FakeAsterisk.CallHandle call =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 3000), PartyAudio.tone(1000, 3000))
                        .build());
        call.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.legs.size() == 2, 3000, "both legs tapped");
        UUID liveTap = asterisk.taps().get(0).uuid();

        Random random = new Random(7);
        byte[] noise = new byte[600];
        random.nextBytes(noise);
        noise[0] = 0x42; // not a kind AudioSocket knows
        Map<String, Misbehaviour> cases = new LinkedHashMap<>();
        cases.put("random bytes", peer -> peer.sendRaw(noise));
        cases.put("unknown kind", peer -> peer.sendRaw(new byte[] {0x20, 0, 2, 1, 2}));
        cases.put("impossible length", peer -> peer.sendRaw(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, 0}));
        cases.put("id of wrong size", peer -> peer.sendRaw(new byte[] {0x01, 0, 4, 1, 2, 3, 4}));
        cases.put("audio before the id", peer -> peer.sendMessage(0x10, new byte[320]));
        cases.put("unknown uuid", peer -> peer.sendId(UUID.randomUUID()));
        cases.put("second connection with a live uuid", peer -> {
            peer.sendId(liveTap);
            peer.sendMessage(0x10, new byte[320]);
        });
        cases.put("stalls without an id", peer -> {});
        cases.put("stalls in the middle of the id", peer -> peer.sendRaw(new byte[] {0x01, 0, 16, 9, 9}));

        for (Map.Entry<String, Misbehaviour> c : cases.entrySet()) {
            try (AudioSocketClientSimulator peer =
                    AudioSocketClientSimulator.connect("127.0.0.1", connector.audioSocketPort())) {
                c.getValue().on(peer);
                assertTrue(
                        peer.awaitServerClose(3, TimeUnit.SECONDS), c.getKey() + ": the server closed the connection");
                assertFalse(peer.hangupReceived(), c.getKey() + ": nothing but a close was sent");
            }
        }
        AudioSocketClientSimulator reset = AudioSocketClientSimulator.connect("127.0.0.1", connector.audioSocketPort());
        reset.sendRaw(new byte[] {0x01, 0, 16, 1, 2, 3});
        reset.reset();

        call.ended().get(10, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "call end");
        for (String leg : List.of(call.callerUniqueId(), call.agentUniqueId())) {
            List<AudioFrame> frames = listener.frames.get(leg);
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(i, frames.get(i).sequence(), "no frame lost on " + leg);
            }
            assertTrue(frames.size() >= 140, leg + " kept its audio: " + frames.size() + " frames");
        }
        assertTrue(Goertzel.dominanceDb(listener.samples(call.callerUniqueId()), 440, 1000, 8000) > 30);
        assertFalse(listener.has("failed"), listener.events.toString());
        assertEquals(2, asterisk.taps().size(), "the live taps were never disturbed");
        ConnectorCounters counters = connector.counters();
        assertEquals(2, counters.connectionsRejected(), counters.toString()); // unknown + duplicate uuid
        assertTrue(counters.protocolErrors() >= 7, counters.toString());
    }

    @Test
    void sourcesOutsideTheAllowListAreRefused() throws Exception {
        start(ConnectorEndToEndTest.testSettings(asterisk.amiPort()).allowedSources(List.of("192.0.2.10")));
        try (AudioSocketClientSimulator peer =
                AudioSocketClientSimulator.connect("127.0.0.1", connector.audioSocketPort())) {
            peer.sendRaw(new byte[] {0x7F, 0x00, 0x01, 0x00}); // not even a valid message
            assertTrue(peer.awaitServerClose(2, TimeUnit.SECONDS));
        }
        assertEquals(1, connector.counters().connectionsRejected());
        assertEquals(0, connector.counters().protocolErrors(), "refused before any byte was parsed");
    }

    @Test
    void aTapThatSendsNoAudioIsReplacedAfterTheNoAudioTimeout() throws Exception {
        start(ConnectorEndToEndTest.testSettings(asterisk.amiPort()));
        FakeAsterisk.CallHandle call =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 2500), PartyAudio.tone(1000, 2500))
                        .failTaps(SimulatedCall.TapFailure.NO_AUDIO)
                        .build());
        call.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(() -> !asterisk.taps().isEmpty(), 3000, "a tap");
        call.ended().get(10, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "call end");
        long callerTaps = asterisk.taps().stream()
                .filter(t -> t.targetUniqueId().equals(call.callerUniqueId()))
                .count();
        assertEquals(2, callerTaps, "the silent tap was replaced once");
        assertTrue(listener.samples(call.callerUniqueId()).length > 8000, "the retry delivered the caller");
        assertTrue(connector.counters().tapAttemptsFailed() >= 1);
        assertEquals(0, connector.counters().tapsFailed());
        assertEquals(List.of(), listener.eventsStartingWith("failed"));
    }
}
