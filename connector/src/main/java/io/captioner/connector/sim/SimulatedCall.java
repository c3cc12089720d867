package io.captioner.connector.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scripted call for {@link FakeAsterisk}: a caller dials an agent, both talk (each leg plays its
 * own audio), and the script can hold, press DTMF, transfer, fail taps and hang up. Times are
 * milliseconds after the agent answered. Build with {@link #builder(PartyAudio, PartyAudio)}.
 *
 * @param callerNumber       caller id of the calling party
 * @param agentNumber        the number dialled (the agent's extension)
 * @param callerAudio        what the caller says
 * @param agentAudio         what the agent says
 * @param topology           PJSIP phones, or Local channel pairs as in the captured fixture
 * @param callerContext      dialplan context of the caller's channel
 * @param agentContext       dialplan context of the agent's channel
 * @param variables          channel variables the dialplan sets on the caller's channel (AMI VarSet)
 * @param answerAfterMs      ringing time before the agent answers
 * @param callerSpeechAtMs   when the caller starts to speak
 * @param agentSpeechAtMs    when the agent starts to speak
 * @param hangupAtMs         when the caller hangs up; negative = 500 ms after the last speech ends
 * @param holds              periods the caller is put on hold
 * @param dtmf               digits the caller presses
 * @param transfer           the agent hands the call over to another agent, or null
 * @param tapFailures        how the first taps of each leg fail (one entry per failing attempt)
 * @param tapCodec           what the tap really carries whatever it asked for (slin unless the channel cannot)
 */
public record SimulatedCall(
        String callerNumber,
        String agentNumber,
        PartyAudio callerAudio,
        PartyAudio agentAudio,
        Topology topology,
        String callerContext,
        String agentContext,
        Map<String, String> variables,
        int answerAfterMs,
        int callerSpeechAtMs,
        int agentSpeechAtMs,
        int hangupAtMs,
        List<Hold> holds,
        List<Dtmf> dtmf,
        Transfer transfer,
        List<TapFailure> tapFailures,
        TapCodec tapCodec) {

    public enum Topology {
        /** PJSIP/caller and PJSIP/agent bridged directly. */
        PJSIP,
        /** Local/caller@test;1/;2 and Local/agent@test;1/;2, with caller;2 bridged to agent;1, as in the fixture. */
        LOCAL
    }

    /** How one tap attempt fails. */
    public enum TapFailure {
        /** OriginateResponse Failure, Reason 8 (as when the AudioSocket server is unreachable). */
        ORIGINATE_FAILURE,
        /** Asterisk connects, sends the UUID and closes (as with a vanished leg). */
        UUID_THEN_CLOSE,
        /** Asterisk connects and sends the UUID, but ChanSpy never starts (no ChanSpyStart) and no audio comes. */
        NO_AUDIO
    }

    /** What a tap carries regardless of c(slin): the channel's own codec when it cannot transcode. */
    public enum TapCodec {
        AS_REQUESTED,
        ULAW,
        ALAW
    }

    public record Hold(int atMs, int durationMs) {}

    public record Dtmf(int atMs, char digit) {}

    public record Transfer(int atMs, String newAgentNumber, PartyAudio newAgentAudio, int speechAfterMs) {}

    public SimulatedCall {
        Objects.requireNonNull(callerAudio, "callerAudio");
        Objects.requireNonNull(agentAudio, "agentAudio");
        variables = Map.copyOf(variables);
        holds = List.copyOf(holds);
        dtmf = List.copyOf(dtmf);
        tapFailures = List.copyOf(tapFailures);
    }

    /** When the caller hangs up, in ms after answer. */
    public int effectiveHangupAtMs() {
        if (hangupAtMs >= 0) {
            return hangupAtMs;
        }
        int end = Math.max(callerSpeechAtMs + callerAudio.durationMs(), agentSpeechAtMs + agentAudio.durationMs());
        if (transfer != null) {
            end = Math.max(
                    end,
                    transfer.atMs()
                            + transfer.speechAfterMs()
                            + transfer.newAgentAudio().durationMs());
        }
        return end + 500;
    }

    public static Builder builder(PartyAudio callerAudio, PartyAudio agentAudio) {
        return new Builder(callerAudio, agentAudio);
    }

    public static final class Builder {
        private final PartyAudio callerAudio;
        private final PartyAudio agentAudio;
        private String callerNumber = "5551000";
        private String agentNumber = "2001";
        private Topology topology = Topology.PJSIP;
        private String callerContext;
        private String agentContext;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private int answerAfterMs = 100;
        private int callerSpeechAtMs = 200;
        private int agentSpeechAtMs = 200;
        private int hangupAtMs = -1;
        private final List<Hold> holds = new ArrayList<>();
        private final List<Dtmf> dtmf = new ArrayList<>();
        private Transfer transfer;
        private final List<TapFailure> tapFailures = new ArrayList<>();
        private TapCodec tapCodec = TapCodec.AS_REQUESTED;

        private Builder(PartyAudio callerAudio, PartyAudio agentAudio) {
            this.callerAudio = callerAudio;
            this.agentAudio = agentAudio;
        }

        public Builder numbers(String caller, String agent) {
            callerNumber = caller;
            agentNumber = agent;
            return this;
        }

        public Builder topology(Topology t) {
            topology = t;
            return this;
        }

        public Builder contexts(String caller, String agent) {
            callerContext = caller;
            agentContext = agent;
            return this;
        }

        public Builder variable(String name, String value) {
            variables.put(name, value);
            return this;
        }

        public Builder answerAfterMs(int ms) {
            answerAfterMs = ms;
            return this;
        }

        public Builder speechAtMs(int caller, int agent) {
            callerSpeechAtMs = caller;
            agentSpeechAtMs = agent;
            return this;
        }

        public Builder hangupAtMs(int ms) {
            hangupAtMs = ms;
            return this;
        }

        public Builder hold(int atMs, int durationMs) {
            holds.add(new Hold(atMs, durationMs));
            return this;
        }

        public Builder dtmf(int atMs, char digit) {
            dtmf.add(new Dtmf(atMs, digit));
            return this;
        }

        public Builder transfer(int atMs, String newAgentNumber, PartyAudio newAgentAudio) {
            transfer = new Transfer(atMs, newAgentNumber, newAgentAudio, 200);
            return this;
        }

        public Builder failTaps(TapFailure... failures) {
            tapFailures.addAll(List.of(failures));
            return this;
        }

        public Builder tapCodec(TapCodec codec) {
            tapCodec = codec;
            return this;
        }

        public SimulatedCall build() {
            String cc = callerContext != null ? callerContext : topology == Topology.LOCAL ? "test" : "from-pstn";
            String ac = agentContext != null ? agentContext : topology == Topology.LOCAL ? "test" : "agents";
            return new SimulatedCall(
                    callerNumber,
                    agentNumber,
                    callerAudio,
                    agentAudio,
                    topology,
                    cc,
                    ac,
                    variables,
                    answerAfterMs,
                    callerSpeechAtMs,
                    agentSpeechAtMs,
                    hangupAtMs,
                    holds,
                    dtmf,
                    transfer,
                    tapFailures,
                    tapCodec);
        }
    }
}
