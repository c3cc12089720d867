package io.captioner.asr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.testing.Fixtures;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class G711Test {
    @Test
    void muLawFixtureDecodesToTheReferencePcmExactly() throws Exception {
        byte[] ulaw = Files.readAllBytes(Fixtures.audio("speech_8k.ulaw"));
        short[] expected = Fixtures.readShorts(Fixtures.audio("speech_8k_ulaw_decoded.s16"));
        assertEquals(expected.length, ulaw.length);
        assertArrayEquals(expected, G711.decode(ulaw, G711.Law.ULAW));
    }

    @Test
    void aLawFixtureDecodesToTheOriginalSpeechAtALawQuality() throws Exception {
        byte[] alaw = Files.readAllBytes(Fixtures.audio("speech_8k.alaw"));
        short[] original = WavReader.read(Fixtures.audio("speech_8k.wav")).samples();
        short[] decoded = G711.decode(alaw, G711.Law.ALAW);
        assertEquals(original.length, decoded.length);
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < decoded.length; i++) {
            signal += (double) original[i] * original[i];
            noise += (double) (decoded[i] - original[i]) * (decoded[i] - original[i]);
        }
        // G.711 gives about 38 dB SNR on speech; a wrong segment or sign decoding gives far less
        double snr = 10 * Math.log10(signal / noise);
        assertTrue(snr > 35, "A-law SNR " + snr + " dB");
    }

    @Test
    void knownCodeWordsFromTheStandard() {
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    }
}
