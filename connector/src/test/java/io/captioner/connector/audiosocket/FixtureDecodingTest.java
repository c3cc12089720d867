package io.captioner.connector.audiosocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.audio.G711;
import io.captioner.connector.Goertzel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every captured AudioSocket stream parses into the id and 50 audio frames and decodes to the right tones. */
class FixtureDecodingTest {

    static List<AudioSocketMessage> parse(byte[] bytes) throws AudioSocketProtocolException {
        List<AudioSocketMessage> messages = new ArrayList<>();
        AudioSocketParser parser = new AudioSocketParser(messages::add);
        parser.feed(bytes);
        assertTrue(parser.atMessageBoundary(), "stream ends on a message boundary");
        return messages;
    }

    @Test
    void everyCaptureDecodesToItsTones() throws Exception {
        for (Fixtures.Expectation x : Fixtures.ALL) {
            List<AudioSocketMessage> messages = parse(Fixtures.read(x.file()));
            assertEquals(51, messages.size(), x.file());
            assertEquals(AudioSocketKind.ID, messages.get(0).kind());
            assertEquals(16, messages.get(0).payload().length);
            AudioPayloadDecoder decoder = new AudioPayloadDecoder(x.format());
            List<DecodedAudio> decoded = new ArrayList<>();
            for (AudioSocketMessage m : messages.subList(1, messages.size())) {
                assertEquals(x.kind(), m.kind(), x.file());
                assertEquals(x.payloadBytes(), m.payload().length, x.file());
                decoded.addAll(decoder.decode(m.kind(), m.payload()));
            }
            assertEquals(50, decoded.size(), x.file());
            assertEquals(x.law(), decoder.law(), x.file());
            int rate = x.format().sampleRate();
            short[] left = concat(decoded, false);
            assertEquals(rate, left.length, x.file() + ": one second per direction");
            if (x.leftHz() < 0) {
                double p440 = Goertzel.power(left, 0, left.length, 440, rate);
                double p1000 = Goertzel.power(left, 0, left.length, 1000, rate);
                double silence = Goertzel.power(left, 0, left.length, 2500, rate);
                assertTrue(p440 > 1000 * silence && p1000 > 1000 * silence, x.file() + ": both voices mixed");
            } else {
                double other = x.leftHz() == 440 ? 1000 : 440;
                double db = Goertzel.dominanceDb(left, x.leftHz(), other, rate);
                assertTrue(db > 30, x.file() + ": " + x.leftHz() + " Hz only " + db + " dB above " + other);
            }
            if (x.format().stereo()) {
                short[] right = concat(decoded, true);
                assertTrue(
                        Goertzel.dominanceDb(right, x.rightHz(), x.leftHz(), rate) > 30, x.file() + " right channel");
            } else {
                assertNull(decoded.get(0).heard());
            }
        }
    }

    @Test
    void missingTargetCaptureIsAnIdAndNothingElse() throws Exception {
        List<AudioSocketMessage> messages = parse(Fixtures.read(Fixtures.MISSING_TARGET));
        assertEquals(1, messages.size());
        assertEquals(AudioSocketKind.ID, messages.get(0).kind());
    }

    @Test
    void g711LawIsNotFooledBySilenceAndFallsBackToMuLaw() throws Exception {
        AudioPayloadDecoder decoder = new AudioPayloadDecoder(new TapFormat(8000, false));
        byte[] muSilence = new byte[160];
        java.util.Arrays.fill(muSilence, (byte) 0xFF);
        for (int i = 0; i < AudioPayloadDecoder.MAX_UNDECIDED_FRAMES - 1; i++) {
            assertTrue(decoder.decode(0x10, muSilence).isEmpty(), "held back while undecided");
        }
        assertEquals(
                AudioPayloadDecoder.MAX_UNDECIDED_FRAMES,
                decoder.decode(0x10, muSilence).size());
        assertEquals(G711.Law.ULAW, decoder.law());
    }

    @Test
    void wrongRateForTheTapIsAProtocolError() {
        AudioPayloadDecoder decoder = new AudioPayloadDecoder(new TapFormat(8000, false));
        AudioSocketProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(
                AudioSocketProtocolException.class, () -> decoder.decode(0x12, new byte[640]));
        assertTrue(e.getMessage().contains("0x12") && e.getMessage().contains("8000"), e.getMessage());
        AudioPayloadDecoder odd = new AudioPayloadDecoder(new TapFormat(8000, false));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(
                        AudioSocketProtocolException.class, () -> odd.decode(0x10, new byte[321]))
                .getMessage()
                .contains("321"));
    }

    @Test
    void g711RoundTripsWithinQuantisation() {
        short[] pcm = new short[2000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i * 32 - 32000);
        }
        for (G711.Law law : G711.Law.values()) {
            short[] back = G711.decode(G711.encode(pcm, law), law);
            for (int i = 0; i < pcm.length; i++) {
                int tolerance = Math.max(16, Math.abs(pcm[i]) / 16);
                assertTrue(Math.abs(back[i] - pcm[i]) <= tolerance, law + " " + pcm[i] + " -> " + back[i]);
            }
        }
    }

    static short[] concat(List<DecodedAudio> decoded, boolean right) {
        int n = decoded.stream().mapToInt(d -> d.own().length).sum();
        short[] out = new short[n];
        int pos = 0;
        for (DecodedAudio d : decoded) {
            short[] s = right ? d.heard() : d.own();
            System.arraycopy(s, 0, out, pos, s.length);
            pos += s.length;
        }
        return out;
    }
}
