package io.captioner.service.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.AudioFrame;
import io.captioner.connector.CallInfo;
import io.captioner.connector.CallListener;
import io.captioner.connector.LegRole;
import io.captioner.connector.TappedLeg;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioRecordTest {
    private static final TappedLeg CALLER = new TappedLeg("1733.7", "1733.8", LegRole.CALLER, 8000, "PJSIP/alice-01");
    private static final TappedLeg AGENT = new TappedLeg("1733.7", "1733.9", LegRole.AGENT, 16000, "PJSIP/1001-02");
    private static final CallInfo CALL = new CallInfo(
            "1733.7",
            "5551234",
            "1001",
            List.of("PJSIP/alice-01", "PJSIP/1001-02"),
            List.of(CALLER, AGENT),
            Instant.parse("2026-12-07T10:15:30.125Z"));

    /** What a listener was told, as text. */
    private static final class Transcript implements CallListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void onCallStarted(CallInfo call) {
            lines.add("started " + call);
        }

        @Override
        public void onCallVariable(CallInfo call, String name, String value) {
            lines.add("variable " + call.callId() + " " + name + "=" + value);
        }

        @Override
        public void onLegTapped(TappedLeg leg) {
            lines.add("tapped " + leg);
        }

        @Override
        public void onAudio(TappedLeg leg, AudioFrame frame) {
            lines.add("audio " + leg.legId() + " " + frame.sequence() + " " + frame.timestampMs() + " "
                    + frame.sampleRate() + " " + Arrays.toString(frame.samples()));
        }

        @Override
        public void onLegPaused(TappedLeg leg) {
            lines.add("paused " + leg);
        }

        @Override
        public void onLegResumed(TappedLeg leg) {
            lines.add("resumed " + leg);
        }

        @Override
        public void onDtmf(TappedLeg leg, char digit) {
            lines.add("dtmf " + leg.legId() + " " + digit);
        }

        @Override
        public void onLegEnded(TappedLeg leg, String reason) {
            lines.add("ended " + leg + " " + reason);
        }

        @Override
        public void onTapFailed(TappedLeg leg, String reason, int attempts) {
            lines.add("failed " + leg + " " + reason + " " + attempts);
        }

        @Override
        public void onCallEnded(CallInfo call, String reason) {
            lines.add("call ended " + call + " " + reason);
        }
    }

    @Test
    void everyCallbackSurvivesTheTopicUnchanged() {
        List<AudioRecord> records = List.of(
                new AudioRecord.CallStarted(CALL),
                new AudioRecord.CallVariable(CALL, "CAPTION_HOTWORDS", "acme premium, order number"),
                new AudioRecord.LegTapped(CALLER),
                new AudioRecord.Audio(
                        CALLER,
                        List.of(
                                new AudioFrame(new short[] {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE}, 8000, 41, 820),
                                new AudioFrame(new short[] {1234, -4321}, 8000, 42, 840))),
                new AudioRecord.LegPaused(AGENT),
                new AudioRecord.LegResumed(AGENT),
                new AudioRecord.Dtmf(CALLER, '#'),
                new AudioRecord.LegEnded(CALLER, "hangup: Normal Clearing"),
                new AudioRecord.TapFailed(AGENT, "Originate refused: é ü", 3),
                new AudioRecord.CallEnded(CALL, "hangup"));
        Transcript direct = new Transcript();
        Transcript throughTopic = new Transcript();
        for (AudioRecord record : records) {
            record.deliverTo(direct);
            AudioRecord decoded = AudioRecord.decode(AudioRecord.encode(record));
            assertEquals(record.callId(), decoded.callId());
            decoded.deliverTo(throughTopic);
        }
        assertEquals(direct.lines, throughTopic.lines);
        assertEquals(11, direct.lines.size(), "ten records, the audio one with two frames");
    }

    @Test
    void pcmTravelsAsLittleEndianSamples() {
        byte[] value = AudioRecord.encode(
                new AudioRecord.Audio(AGENT, List.of(new AudioFrame(new short[] {0x0102}, 16000, 0, 0))));
        assertArrayEquals(new byte[] {0x02, 0x01}, Arrays.copyOfRange(value, value.length - 2, value.length));
    }

    @Test
    void whatIsNotAnAudioRecordIsRefusedSayingWhy() {
        byte[] good = AudioRecord.encode(new AudioRecord.LegEnded(CALLER, "hangup"));
        assertTrue(message(null).contains("a tombstone"));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        assertTrue(message(otherVersion).contains("audio record format 2 (this version reads 1)"));
        byte[] unknownType = good.clone();
        unknownType[1] = 99;
        assertTrue(message(unknownType).contains("unknown audio record type 99"));
        assertTrue(message(Arrays.copyOf(good, good.length - 3)).contains("is cut short"));
        assertTrue(message(Arrays.copyOf(good, good.length + 2)).contains("2 bytes after its fields"));
    }

    private static String message(byte[] value) {
        return assertThrows(IllegalArgumentException.class, () -> AudioRecord.decode(value))
                .getMessage();
    }
}
