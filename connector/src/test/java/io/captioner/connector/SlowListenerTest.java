package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.PartyAudio;
import io.captioner.connector.sim.SimulatedCall;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A listener that blocks makes the connector drop the oldest frames of a leg, never stop reading. */
class SlowListenerTest {

    @Test
    void aBlockedListenerLosesTheOldestFramesAndTheyAreCounted() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", "tapsecret"))) {
            RecordingListener recorder = new RecordingListener();
            CallListener slow = new CallListener() {
                @Override
                public void onLegTapped(TappedLeg leg) {
                    recorder.onLegTapped(leg);
                    if (leg.role() == LegRole.CALLER) {
                        sleep(1200); // blocks the delivery context while ~60 frames per leg arrive
                    }
                }

                @Override
                public void onAudio(TappedLeg leg, AudioFrame frame) {
                    recorder.onAudio(leg, frame);
                }

                @Override
                public void onCallEnded(CallInfo call, String reason) {
                    recorder.onCallEnded(call, reason);
                }
            };
            AsteriskConnector connector = new AsteriskConnector(
                    vertx,
                    ConnectorEndToEndTest.testSettings(asterisk.amiPort())
                            .legBufferFrames(10)
                            .build(),
                    slow);
            connector.start().await(10, TimeUnit.SECONDS);
            FakeAsterisk.CallHandle call =
                    asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 2000), PartyAudio.tone(1000, 2000))
                            .build());
            call.ended().get(10, TimeUnit.SECONDS);
            RecordingListener.await(() -> recorder.has("callEnded"), 5000, "call end");
            ConnectorCounters counters = connector.counters();
            assertTrue(counters.framesDropped() > 40, counters.toString());
            assertEquals(
                    counters.framesReceived() + counters.silenceFrames(),
                    counters.framesDelivered() + counters.framesDropped(),
                    "every received frame and every silence was delivered or counted as dropped: " + counters);
            List<AudioFrame> frames = recorder.frames.get(call.callerUniqueId());
            assertTrue(frames.get(0).sequence() > 0, "the oldest frames were the ones dropped");
            for (int i = 1; i < frames.size(); i++) {
                assertTrue(frames.get(i).sequence() > frames.get(i - 1).sequence());
            }
            connector.stop().await(5, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
