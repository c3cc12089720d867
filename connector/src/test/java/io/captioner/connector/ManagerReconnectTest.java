package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.PartyAudio;
import io.captioner.connector.sim.SimulatedCall;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manager connection drops in the middle of calls. Asterisk-Java reconnects, the connector
 * resynchronises with CoreShowChannels: live taps go on untouched (no second tap), a call that
 * ended during the outage is closed, and a call that started during the outage is tapped.
 */
class ManagerReconnectTest {
    Vertx vertx;
    FakeAsterisk asterisk;
    AsteriskConnector connector;
    RecordingListener listener = new RecordingListener();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", "tapsecret"));
        connector = new AsteriskConnector(
                vertx, ConnectorEndToEndTest.testSettings(asterisk.amiPort()).build(), listener);
        connector.start().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        connector.stop().await(5, TimeUnit.SECONDS);
        asterisk.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    static long taps(FakeAsterisk asterisk, String uniqueId) {
        return asterisk.taps().stream()
                .filter(t -> t.targetUniqueId().equals(uniqueId))
                .count();
    }

    @Test
    void droppedManagerConnectionIsRestoredWithoutDuplicateTaps() throws Exception {
        FakeAsterisk.CallHandle ongoing =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 2500), PartyAudio.tone(1000, 2500))
                        .numbers("5550001", "2001")
                        .build());
        FakeAsterisk.CallHandle endsDuringOutage =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 5000), PartyAudio.tone(1000, 5000))
                        .numbers("5550002", "2002")
                        .build());
        ongoing.answered().get(5, TimeUnit.SECONDS);
        endsDuringOutage.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.legs.size() == 4, 3000, "four legs tapped");
        Thread.sleep(200);

        AtomicReference<FakeAsterisk.CallHandle> startsDuringOutage = new AtomicReference<>();
        asterisk.dropManagerConnections(Duration.ofMillis(300), () -> {
            asterisk.hangupCallNow(endsDuringOutage);
            startsDuringOutage.set(
                    asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 1000), PartyAudio.tone(1000, 1000))
                            .numbers("5550003", "2003")
                            .build()));
        });

        ongoing.ended().get(10, TimeUnit.SECONDS);
        FakeAsterisk.CallHandle late = startsDuringOutage.get();
        late.ended().get(10, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.ended.size() == 3, 5000, "three calls ended: " + listener.events);

        assertEquals(1, connector.counters().amiDisconnects());
        assertEquals(2, connector.counters().amiConnects());
        // the ongoing call kept its original taps and all its audio
        assertEquals(1, taps(asterisk, ongoing.callerUniqueId()));
        assertEquals(1, taps(asterisk, ongoing.agentUniqueId()));
        List<AudioFrame> frames = listener.frames.get(ongoing.callerUniqueId());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).sequence());
        }
        assertTrue(Goertzel.dominanceDb(listener.samples(ongoing.callerUniqueId()), 440, 1000, 8000) > 30);
        assertTrue(listener.samples(ongoing.agentUniqueId()).length >= 8000 * 2, "agent audio went on");
        // the call that ended unseen was closed, not reported as a failed tap
        assertTrue(listener.has("ended " + endsDuringOutage.callerUniqueId()), listener.events.toString());
        assertFalse(listener.has("failed"), listener.events.toString());
        // the call that started unseen was found by the resync and tapped once per leg
        assertEquals(1, taps(asterisk, late.callerUniqueId()));
        assertEquals(1, taps(asterisk, late.agentUniqueId()));
        assertEquals(LegRole.CALLER, listener.legs.get(late.callerUniqueId()).role());
        assertTrue(Goertzel.dominanceDb(listener.samples(late.agentUniqueId()), 1000, 440, 8000) > 30);
        assertTrue(connector.activeCalls().isEmpty());
    }
}
