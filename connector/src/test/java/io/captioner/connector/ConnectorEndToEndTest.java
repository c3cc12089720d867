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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Asterisk-Java library logs in to the simulated Asterisk; the connector follows scripted
 * calls and taps them over ChanSpy → AudioSocket. Caller plays 440 Hz, agent 1000 Hz.
 */
class ConnectorEndToEndTest {
    static final int TONE_MS = 800;

    Vertx vertx;
    FakeAsterisk asterisk;
    AsteriskConnector connector;
    RecordingListener listener;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", "tapsecret"));
        listener = new RecordingListener();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (connector != null) {
            connector.stop().await(5, TimeUnit.SECONDS);
        }
        asterisk.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    static ConnectorSettings.Builder testSettings(int amiPort) {
        return ConnectorSettings.builder()
                .ami("127.0.0.1", amiPort, "captioner", "tapsecret")
                .audioSocketBind("127.0.0.1", 0)
                .tapRetryDelay(Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(1))
                .noAudioTimeout(Duration.ofMillis(600))
                .hangupGrace(Duration.ofMillis(200))
                .amiResponseTimeout(Duration.ofSeconds(2));
    }

    void startConnector(UnaryOperator<ConnectorSettings.Builder> tweak) throws Exception {
        connector = new AsteriskConnector(
                vertx, tweak.apply(testSettings(asterisk.amiPort())).build(), listener);
        connector.start().await(10, TimeUnit.SECONDS);
    }

    static SimulatedCall.Builder toneCall() {
        return SimulatedCall.builder(PartyAudio.tone(440, TONE_MS), PartyAudio.tone(1000, TONE_MS));
    }

    FakeAsterisk.CallHandle placeAndWait(SimulatedCall call) throws Exception {
        FakeAsterisk.CallHandle handle = asterisk.place(call);
        handle.ended().get(10, TimeUnit.SECONDS);
        String id = handle.linkedId();
        RecordingListener.await(() -> listener.has("callEnded " + id), 5000, "call " + id + " to end");
        return handle;
    }

    void assertLegCarriesOnly(String legId, double wanted, double other, int rate) {
        short[] pcm = listener.samples(legId);
        assertTrue(pcm.length > rate * TONE_MS / 1000 / 2, "leg " + legId + " got only " + pcm.length + " samples");
        double db = Goertzel.dominanceDb(pcm, wanted, other, rate);
        assertTrue(db > 30, "leg " + legId + ": " + wanted + " Hz only " + db + " dB above " + other + " Hz");
    }

    @Test
    void tapsBothLegsOfAPjsipCallEachWithItsOwnVoice() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                placeAndWait(toneCall().numbers("5551234", "2001").build());

        assertEquals(1, listener.started.size());
        CallInfo info = listener.started.get(0);
        assertEquals(call.linkedId(), info.callId());
        assertEquals("5551234", info.callerNumber());
        assertEquals("2001", info.calleeNumber(), info.toString());
        TappedLeg caller = listener.legs.get(call.callerUniqueId());
        TappedLeg agent = listener.legs.get(call.agentUniqueId());
        assertEquals(LegRole.CALLER, caller.role());
        assertEquals(LegRole.AGENT, agent.role());
        assertEquals(8000, caller.sampleRate());
        assertLegCarriesOnly(caller.legId(), 440, 1000, 8000);
        assertLegCarriesOnly(agent.legId(), 1000, 440, 8000);

        List<String> events = listener.events;
        assertTrue(
                events.indexOf("started " + call.linkedId()) < events.indexOf("tapped " + caller.legId() + " CALLER"));
        assertTrue(listener.has("ended " + caller.legId() + " hangup"));
        assertEquals(
                events.size() - 1,
                events.indexOf(listener.eventsStartingWith("callEnded").get(0)),
                "call ended comes last: " + events);
        assertTrue(
                listener.threads.stream().noneMatch(t -> t.startsWith("Asterisk-Java") || t.contains("eventloop")),
                "callbacks came on " + listener.threads.stream().distinct().toList());
        // frames are numbered without gaps and timed end to end from the leg's start
        List<AudioFrame> frames = listener.frames.get(caller.legId());
        assertEquals(0, frames.get(0).timestampMs());
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).sequence());
            assertContiguous(frames.get(i - 1), frames.get(i));
        }
        assertEquals(2, asterisk.taps().size(), "one tap per leg: " + asterisk.taps());
        assertTrue(asterisk.taps().stream()
                .allMatch(t -> t.options().equals("qEuo") && t.codec().equals("slin")));
        assertEquals(0, connector.counters().framesDropped());
        assertTrue(connector.activeCalls().isEmpty(), "no call left: " + connector.activeCalls());
    }

    static void assertContiguous(AudioFrame previous, AudioFrame next) {
        long expected = previous.timestampMs() + previous.durationMs();
        assertTrue(
                Math.abs(next.timestampMs() - expected) <= 1,
                "frame " + next.sequence() + " at " + next.timestampMs() + " ms, the one before ends at " + expected
                        + " ms");
    }

    @Test
    void aSilentPartyKeepsItsTapAndItsPauseStaysOnTheTimeLine() throws Exception {
        // Asterisk sends no frames while a party is silent: 1.5 s of nothing, over twice the no-audio timeout
        startConnector(b -> b);
        PartyAudio caller = PartyAudio.tone(440, 600)
                .followedBy(PartyAudio.silence(1500, 8000))
                .followedBy(PartyAudio.tone(440, 600));
        long placed = System.nanoTime();
        FakeAsterisk.CallHandle call = placeAndWait(
                SimulatedCall.builder(caller, PartyAudio.tone(1000, 2700)).build());
        String leg = call.callerUniqueId();

        assertFalse(listener.has("failed"), listener.events.toString());
        assertEquals(2, asterisk.taps().size(), "the quiet tap was not originated again: " + asterisk.taps());
        assertEquals(0, connector.counters().tapAttemptsFailed());
        List<AudioFrame> frames = listener.frames.get(leg);
        List<Long> arrivals = listener.frameArrivals.get(leg);
        int firstSilent = -1;
        int secondTone = -1;
        long silentMs = 0;
        for (int i = 1; i < frames.size(); i++) {
            assertContiguous(frames.get(i - 1), frames.get(i));
            boolean silent = new PartyAudio(8000, frames.get(i).samples())
                    .silent(0, frames.get(i).samples().length);
            if (silent && secondTone < 0) {
                firstSilent = firstSilent < 0 ? i : firstSilent;
                silentMs += frames.get(i).durationMs();
            } else if (!silent && firstSilent >= 0 && secondTone < 0) {
                secondTone = i;
            }
        }
        assertTrue(
                firstSilent > 0 && secondTone > firstSilent,
                "silence, then the second tone: " + frames.size() + " frames");
        assertTrue(Math.abs(silentMs - 1500) <= 100, "the pause became " + silentMs + " ms of silence");
        assertTrue(
                Math.abs(frames.get(secondTone).timestampMs() - 2100) <= 100,
                "the second tone starts at " + frames.get(secondTone).timestampMs() + " ms of the leg's time line");
        long firstSilenceAfterMs = (arrivals.get(firstSilent) - arrivals.get(firstSilent - 1)) / 1_000_000;
        assertTrue(
                firstSilenceAfterMs < 500,
                "the silence came during the pause, " + firstSilenceAfterMs
                        + " ms after the last tone frame, not with the next tone");
        assertTrue(arrivals.get(firstSilent) - placed < 1_500_000_000L, "silence delivered during the pause");
    }

    @Test
    void aTapThatDeliveredAudioStartsItsAttemptsAfresh() throws Exception {
        startConnector(b -> b.tapAttempts(2));
        FakeAsterisk.CallHandle call =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 5000), PartyAudio.tone(1000, 5000))
                        .build());
        call.answered().get(5, TimeUnit.SECONDS);
        for (int drop = 1; drop <= 3; drop++) {
            int wanted = 2 * drop;
            RecordingListener.await(
                    () -> asterisk.taps().size() >= wanted
                            && listener.legs.size() == 2
                            && listener.frames.values().stream().allMatch(f -> f.size() > 0),
                    5000,
                    "taps to work");
            int framesBefore = listener.frames.get(call.callerUniqueId()).size();
            RecordingListener.await(
                    () -> listener.frames.get(call.callerUniqueId()).size() > framesBefore + 5,
                    3000,
                    "audio of attempt " + drop);
            asterisk.dropTaps();
            RecordingListener.await(() -> asterisk.taps().size() >= wanted + 2, 5000, "the taps to be tried again");
        }
        call.ended().get(15, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "the call to end");
        assertFalse(
                listener.has("failed"), "three failures, each after audio, are not three in a row: " + listener.events);
        assertTrue(listener.has("ended " + call.callerUniqueId() + " hangup"), listener.events.toString());
    }

    @Test
    void retriesBackOff() throws Exception {
        startConnector(b -> b.tapAttempts(4));
        FakeAsterisk.CallHandle call = placeAndWait(toneCall()
                .failTaps(
                        SimulatedCall.TapFailure.ORIGINATE_FAILURE,
                        SimulatedCall.TapFailure.ORIGINATE_FAILURE,
                        SimulatedCall.TapFailure.ORIGINATE_FAILURE)
                .hangupAtMs(3000)
                .build());
        List<Long> times = asterisk.taps().stream()
                .filter(t -> t.targetUniqueId().equals(call.callerUniqueId()))
                .map(FakeAsterisk.TapRecord::originatedNanos)
                .toList();
        assertEquals(4, times.size());
        for (int i = 1; i < times.size(); i++) {
            long gapMs = (times.get(i) - times.get(i - 1)) / 1_000_000;
            long wait = 100L << (i - 1); // testSettings: 100 ms, then doubling
            assertTrue(
                    gapMs >= wait,
                    "attempt " + (i + 1) + " came " + gapMs + " ms after the one before, not after " + wait);
        }
        assertLegCarriesOnly(call.callerUniqueId(), 440, 1000, 8000);
    }

    @Test
    void aReleasedLegEndsAndItsAudioSocketChannelHangsUpWhileTheCallGoesOn() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 4000), PartyAudio.tone(1000, 4000))
                        .numbers("5551234", "2001")
                        .build());
        call.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(
                () -> listener.legs.containsKey(call.agentUniqueId())
                        && listener.legs.containsKey(call.callerUniqueId()),
                5000,
                "both legs to be tapped");
        TappedLeg agent = listener.legs.get(call.agentUniqueId());
        TappedLeg caller = listener.legs.get(call.callerUniqueId());
        String agentTapUuid = asterisk.taps().stream()
                .filter(t -> t.targetUniqueId().equals(agent.legId()))
                .findFirst()
                .orElseThrow()
                .uuid()
                .toString();

        connector.releaseLeg(agent, "refused: overload");
        RecordingListener.await(
                () -> listener.has("ended " + agent.legId() + " refused: overload"), 3000, "the released leg to end");
        RecordingListener.await(
                () -> asterisk.channelNames().stream().noneMatch(n -> n.endsWith(agentTapUuid)),
                3000,
                "Asterisk to hang up the released leg's AudioSocket channel");
        assertFalse(call.ended().isDone(), "the call is still up");
        int agentFrames = listener.frames.get(agent.legId()).size();
        int callerFrames = listener.frames.get(caller.legId()).size();

        call.ended().get(15, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded " + call.linkedId()), 5000, "the call to end");
        assertEquals(agentFrames, listener.frames.get(agent.legId()).size(), "no audio of the leg after its release");
        assertTrue(listener.frames.get(caller.legId()).size() > callerFrames + 50, "the other leg kept its audio");
        assertTrue(listener.has("ended " + caller.legId() + " hangup"));
        assertEquals(2, asterisk.taps().size(), "the released tap is not tried again: " + asterisk.taps());
    }

    @Test
    void fixtureTopologyOfLocalChannelsTapsTheBridgedHalves() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                placeAndWait(toneCall().topology(SimulatedCall.Topology.LOCAL).build());
        assertEquals(2, listener.legs.size(), "exactly the two bridged halves: " + listener.legs);
        TappedLeg caller = listener.legs.get(call.callerUniqueId());
        TappedLeg agent = listener.legs.get(call.agentUniqueId());
        assertTrue(caller.channel().startsWith("Local/caller@test-")
                && caller.channel().endsWith(";2"));
        assertTrue(agent.channel().startsWith("Local/agent@test-")
                && agent.channel().endsWith(";1"));
        assertEquals(LegRole.CALLER, caller.role());
        assertEquals(LegRole.AGENT, agent.role());
        assertLegCarriesOnly(caller.legId(), 440, 1000, 8000);
        assertLegCarriesOnly(agent.legId(), 1000, 440, 8000);
    }

    @Test
    void holdPausesTheLegAndDtmfIsReported() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                placeAndWait(toneCall().hold(300, 400).dtmf(250, '5').build());
        String caller = call.callerUniqueId();
        List<String> events = listener.events;
        int paused = events.indexOf("paused " + caller);
        int resumed = events.indexOf("resumed " + caller);
        assertTrue(paused >= 0 && resumed > paused, events.toString());
        assertTrue(listener.has("dtmf " + caller + " 5"), events.toString());
        assertTrue(
                connector.counters().framesOnHold() >= 10, connector.counters().toString());
        // the frames after the hold are timed after it: a jump in timestamps, no gap in sequence
        List<AudioFrame> frames = listener.frames.get(caller);
        boolean jump = false;
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(frames.get(i - 1).sequence() + 1, frames.get(i).sequence());
            jump |= frames.get(i).timestampMs() - frames.get(i - 1).timestampMs() >= 300;
        }
        assertTrue(jump, "timestamps skip the hold");
    }

    @Test
    void transferEndsTheFirstAgentAndTapsTheSecond() throws Exception {
        startConnector(b -> b);
        SimulatedCall script =
                toneCall().transfer(500, "2002", PartyAudio.tone(1000, 600)).build();
        FakeAsterisk.CallHandle call = asterisk.place(script);
        String firstAgent = call.answered().thenApply(x -> call.agentUniqueId()).get(5, TimeUnit.SECONDS);
        call.ended().get(10, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "call end");
        String secondAgent = call.agentUniqueId();
        assertFalse(firstAgent.equals(secondAgent));
        assertTrue(listener.has("ended " + firstAgent + " hangup"));
        assertEquals(LegRole.AGENT, listener.legs.get(secondAgent).role());
        assertLegCarriesOnly(secondAgent, 1000, 440, 8000);
        assertEquals(3, listener.legs.size());
    }

    @Test
    void hangupInTheMiddleOfAWordEndsTheLegsCleanly() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                placeAndWait(SimulatedCall.builder(PartyAudio.tone(440, 3000), PartyAudio.tone(1000, 3000))
                        .hangupAtMs(700)
                        .build());
        short[] pcm = listener.samples(call.callerUniqueId());
        assertTrue(pcm.length > 1600 && pcm.length < 8000, "about 0.5 s of the caller: " + pcm.length);
        assertTrue(listener.has("ended " + call.callerUniqueId() + " hangup"));
        assertTrue(listener.has("ended " + call.agentUniqueId() + " hangup"));
    }

    @Test
    void failedTapAttemptsAreRetriedWithFreshUuids() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call = placeAndWait(toneCall()
                .failTaps(SimulatedCall.TapFailure.ORIGINATE_FAILURE, SimulatedCall.TapFailure.UUID_THEN_CLOSE)
                .hangupAtMs(2500)
                .build());
        String caller = call.callerUniqueId();
        List<FakeAsterisk.TapRecord> callerTaps = asterisk.taps().stream()
                .filter(t -> t.targetUniqueId().equals(caller))
                .toList();
        assertEquals(3, callerTaps.size(), callerTaps.toString());
        assertEquals(
                3,
                callerTaps.stream().map(FakeAsterisk.TapRecord::uuid).distinct().count());
        assertLegCarriesOnly(caller, 440, 1000, 8000);
        assertFalse(listener.has("failed"), listener.events.toString());
        assertTrue(
                connector.counters().tapAttemptsFailed() >= 4,
                connector.counters().toString()); // both legs, 2 each
    }

    @Test
    void aTapThatNeverWorksIsReportedAfterTheLastAttempt() throws Exception {
        startConnector(b -> b.tapAttempts(2));
        FakeAsterisk.CallHandle call = placeAndWait(toneCall()
                .failTaps(SimulatedCall.TapFailure.NO_AUDIO, SimulatedCall.TapFailure.ORIGINATE_FAILURE)
                .hangupAtMs(2500)
                .build());
        String caller = call.callerUniqueId();
        List<String> failed = listener.eventsStartingWith("failed " + caller + " 2 ");
        assertEquals(1, failed.size(), listener.events.toString());
        assertTrue(failed.get(0).contains("OriginateResponse Failure"), failed.get(0));
        assertTrue(connector.counters().tapsFailed() >= 1);
        assertTrue(listener.has("callEnded"));
    }

    @Test
    void stereoTapIsSplitIntoTheTwoParties() throws Exception {
        startConnector(b -> b.stereoTap(true));
        FakeAsterisk.CallHandle call = placeAndWait(toneCall().build());
        assertEquals(1, asterisk.taps().size());
        assertEquals("qEuD", asterisk.taps().get(0).options());
        assertEquals(LegRole.CALLER, listener.legs.get(call.callerUniqueId()).role());
        assertEquals(LegRole.AGENT, listener.legs.get(call.agentUniqueId()).role());
        assertLegCarriesOnly(call.callerUniqueId(), 440, 1000, 8000);
        assertLegCarriesOnly(call.agentUniqueId(), 1000, 440, 8000);
    }

    @Test
    void widebandLegsAre16kHz() throws Exception {
        startConnector(b -> b.wideband(true));
        FakeAsterisk.CallHandle call = placeAndWait(toneCall().build());
        assertTrue(asterisk.taps().stream().allMatch(t -> t.codec().equals("slin16")));
        assertEquals(16000, listener.legs.get(call.callerUniqueId()).sampleRate());
        assertLegCarriesOnly(call.callerUniqueId(), 440, 1000, 16000);
        assertLegCarriesOnly(call.agentUniqueId(), 1000, 440, 16000);
    }

    @Test
    void mislabelledG711IsDetectedAndDecoded() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle ulaw =
                placeAndWait(toneCall().tapCodec(SimulatedCall.TapCodec.ULAW).build());
        FakeAsterisk.CallHandle alaw =
                placeAndWait(toneCall().tapCodec(SimulatedCall.TapCodec.ALAW).build());
        assertLegCarriesOnly(ulaw.callerUniqueId(), 440, 1000, 8000);
        assertLegCarriesOnly(alaw.agentUniqueId(), 1000, 440, 8000);
    }

    @Test
    void channelVariablePolicyCaptionsOnlyMarkedCalls() throws Exception {
        startConnector(b -> b.captionPolicy(CaptionPolicy.channelVariable("CAPTION", "yes")));
        FakeAsterisk.CallHandle plain = asterisk.place(toneCall().build());
        FakeAsterisk.CallHandle marked =
                placeAndWait(toneCall().variable("CAPTION", "yes").build());
        plain.ended().get(5, TimeUnit.SECONDS);
        assertEquals(1, listener.started.size());
        assertEquals(marked.linkedId(), listener.started.get(0).callId());
        assertTrue(asterisk.taps().stream().noneMatch(t -> t.targetUniqueId().equals(plain.callerUniqueId())));
    }

    @Test
    void onRequestPolicyWaitsForTheServiceToAsk() throws Exception {
        startConnector(b -> b.captionPolicy(CaptionPolicy.onRequest())
                .roleRules(List.of(
                        RoleRule.context("agents", LegRole.AGENT),
                        RoleRule.channelPrefix("PJSIP/555", LegRole.CALLER))));
        FakeAsterisk.CallHandle call = asterisk.place(
                toneCall().numbers("5559999", "2001").hangupAtMs(1500).build());
        String id = call.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(
                () -> connector.activeCalls().stream().anyMatch(c -> c.callId().equals(id)), 2000, "call listed");
        Thread.sleep(100);
        assertTrue(asterisk.taps().isEmpty());
        assertFalse(connector.activeCalls().get(0).captioned());
        assertTrue(connector.requestCaptioning(id).await(2, TimeUnit.SECONDS));
        call.ended().get(5, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "call end");
        assertEquals(LegRole.CALLER, listener.legs.get(call.callerUniqueId()).role());
        assertEquals(LegRole.AGENT, listener.legs.get(call.agentUniqueId()).role());
        assertFalse(connector.requestCaptioning("no-such-call").await(2, TimeUnit.SECONDS));
    }

    @Test
    void callsInProgressWhenTheConnectorStartsAreFoundAndAskedForTheirVariable() throws Exception {
        FakeAsterisk.CallHandle marked = asterisk.place(
                toneCall().variable("CAPTION", "yes").hangupAtMs(1500).build());
        FakeAsterisk.CallHandle plain =
                asterisk.place(toneCall().hangupAtMs(1500).build());
        marked.answered().get(5, TimeUnit.SECONDS);
        plain.answered().get(5, TimeUnit.SECONDS);
        startConnector(b -> b.captionPolicy(CaptionPolicy.channelVariable("CAPTION", "yes")));
        marked.ended().get(10, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.has("callEnded"), 5000, "call end");
        assertEquals(1, listener.started.size(), listener.events.toString());
        assertEquals(marked.linkedId(), listener.started.get(0).callId());
        assertLegCarriesOnly(marked.callerUniqueId(), 440, 1000, 8000);
        assertTrue(asterisk.taps().stream().noneMatch(t -> t.targetUniqueId().equals(plain.callerUniqueId())));
    }

    @Test
    void stoppingTheConnectorEndsLegsAndCallsAndStopsTheTaps() throws Exception {
        startConnector(b -> b);
        FakeAsterisk.CallHandle call =
                asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 5000), PartyAudio.tone(1000, 5000))
                        .build());
        call.answered().get(5, TimeUnit.SECONDS);
        RecordingListener.await(() -> listener.legs.size() == 2, 3000, "legs tapped");
        List<CallSnapshot> calls = connector.activeCalls();
        assertEquals(1, calls.size());
        assertTrue(calls.get(0).captioned());
        assertEquals(
                List.of("live", "live"),
                calls.get(0).legs().stream()
                        .map(CallSnapshot.LegSnapshot::state)
                        .toList());
        connector.stop().await(5, TimeUnit.SECONDS);
        RecordingListener.await(
                () -> listener.has("callEnded " + call.linkedId() + " connector stopped"),
                3000,
                "call ended by the stop: " + listener.events);
        assertTrue(listener.has("ended " + call.callerUniqueId() + " connector stopped"));
        // the 0x00 stop made Asterisk hang the tap channels up while the call goes on
        RecordingListener.await(
                () -> asterisk.channelNames().stream().noneMatch(n -> n.startsWith("AudioSocket/")),
                3000,
                "tap channels gone: " + asterisk.channelNames());
        assertEquals(2, asterisk.channelNames().size());
        connector = null;
    }

    @Test
    void aWrongSecretFailsTheStartWithAClearMessage() {
        AsteriskConnector wrong = new AsteriskConnector(
                vertx,
                testSettings(asterisk.amiPort())
                        .ami("127.0.0.1", asterisk.amiPort(), "captioner", "not-the-secret")
                        .build(),
                listener);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class, () -> wrong.start().await(10, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("AMI 127.0.0.1:" + asterisk.amiPort()), e.getMessage());
        assertEquals(0, asterisk.loggedInClients());
    }

    @Test
    void concurrentCallsKeepEveryVoiceOnItsOwnLeg() throws Exception {
        startConnector(b -> b);
        int n = 8;
        List<FakeAsterisk.CallHandle> calls = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(asterisk.place(
                    SimulatedCall.builder(PartyAudio.tone(300 + 100 * i, 1000), PartyAudio.tone(1500 + 100 * i, 1000))
                            .numbers("555000" + i, "200" + i)
                            .build()));
        }
        for (FakeAsterisk.CallHandle c : calls) {
            c.ended().get(10, TimeUnit.SECONDS);
        }
        RecordingListener.await(() -> listener.ended.size() == n, 5000, "all calls ended");
        for (int i = 0; i < n; i++) {
            FakeAsterisk.CallHandle c = calls.get(i);
            short[] caller = listener.samples(c.callerUniqueId());
            short[] agent = listener.samples(c.agentUniqueId());
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    assertTrue(
                            Goertzel.dominanceDb(caller, 300 + 100 * i, 300 + 100 * j, 8000) > 30,
                            "caller " + i + " vs " + j);
                    assertTrue(
                            Goertzel.dominanceDb(agent, 1500 + 100 * i, 1500 + 100 * j, 8000) > 30,
                            "agent " + i + " vs " + j);
                }
            }
            assertTrue(
                    Goertzel.dominanceDb(caller, 300 + 100 * i, 1500 + 100 * i, 8000) > 30,
                    "caller " + i + " vs its agent");
        }
        assertEquals(2 * n, asterisk.taps().size());
        assertEquals(0, connector.counters().framesDropped());
    }
}
