package io.captioner.asr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFixtureWavs() throws Exception {
        PcmAudio a16 = WavReader.read(Fixtures.audio("speech_16k.wav"));
        PcmAudio a8 = WavReader.read(Fixtures.audio("speech_8k.wav"));
        assertEquals(16000, a16.sampleRate());
        assertEquals(92602, a16.samples().length);
        assertEquals(8000, a8.sampleRate());
        assertEquals(46301, a8.samples().length);
    }

    @Test
    void muLawAndALawWavsDecodeLikeG711() throws Exception {
        byte[] ulaw = Files.readAllBytes(Fixtures.audio("speech_8k.ulaw"));
        Path uwav = write("u.wav", wav(7, 1, 8000, 8, ulaw));
        PcmAudio audio = WavReader.read(uwav);
        assertEquals(8000, audio.sampleRate());
        assertArrayEquals(Fixtures.readShorts(Fixtures.audio("speech_8k_ulaw_decoded.s16")), audio.samples());

        byte[] alaw = Files.readAllBytes(Fixtures.audio("speech_8k.alaw"));
        assertArrayEquals(
                G711.decode(alaw, G711.Law.ALAW),
                WavReader.read(write("a.wav", wav(6, 1, 8000, 8, alaw))).samples());
    }

    @Test
    void picksTheRequestedChannelOfAStereoFile() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 1)
                .putShort((short) -1)
                .putShort((short) 2)
                .putShort((short) -2)
                .putShort((short) 3)
                .putShort((short) -3);
        Path file = write("st.wav", wav(1, 2, 16000, 16, data.array()));
        assertArrayEquals(new short[] {1, 2, 3}, WavReader.read(file, 0).samples());
        assertArrayEquals(new short[] {-1, -2, -3}, WavReader.read(file, 1).samples());
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(file, 2));
        assertTrue(e.getMessage().contains("channel 2") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void extensibleFormatAndOddSizedChunksBeforeData() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 40 + 8 + 3 + 1 + 8 + 6).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(b.capacity() - 8)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(40)
                .putShort((short) 0xFFFE)
                .putShort((short) 1)
                .putInt(8000)
                .putInt(16000)
                .putShort((short) 2)
                .putShort((short) 16)
                .putShort((short) 22)
                .putShort((short) 16)
                .putInt(4)
                .putShort((short) 1); // sub-format GUID starts with PCM's code 1
        b.put(new byte[14]);
        b.put("LIST".getBytes(StandardCharsets.US_ASCII))
                .putInt(3)
                .put(new byte[] {'a', 'b', 'c'})
                .put((byte) 0); // padded
        b.put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(6)
                .putShort((short) 100)
                .putShort((short) -200)
                .putShort((short) 300);
        PcmAudio audio = WavReader.read(write("ext.wav", b.array()));
        assertEquals(8000, audio.sampleRate());
        assertArrayEquals(new short[] {100, -200, 300}, audio.samples());
    }

    @Test
    void eightBitPcmIsUnsigned() throws Exception {
        Path file = write("u8.wav", wav(1, 1, 8000, 8, new byte[] {(byte) 128, (byte) 255, 0}));
        assertArrayEquals(
                new short[] {0, 127 << 8, -32768}, WavReader.read(file).samples());
    }

    @Test
    void unsupportedEncodingNamesFileAndFormat() throws Exception {
        Path file = write("adpcm.wav", wav(2, 1, 8000, 4, new byte[100]));
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported encoding: format code 2 (Microsoft ADPCM)"), e.getMessage());
    }

    @Test
    void truncatedDataChunkIsReported() throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.audio("speech_8k.wav"));
        Path file = write("cut.wav", Arrays.copyOf(full, 5000));
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": truncated: data chunk declares"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndNonWavAreReported() throws Exception {
        Path tiny = write("tiny.wav", new byte[] {'R', 'I', 'F', 'F'});
        assertTrue(assertThrows(AudioFormatException.class, () -> WavReader.read(tiny))
                .getMessage()
                .contains("truncated"));
        Path text = write("text.wav", "hello, this is not audio at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(AudioFormatException.class, () -> WavReader.read(text))
                .getMessage()
                .contains("not a RIFF/WAVE file"));
        byte[] full = Files.readAllBytes(Fixtures.audio("speech_8k.wav"));
        Path headerOnly = write("hdr.wav", Arrays.copyOf(full, 30));
        String msg = assertThrows(AudioFormatException.class, () -> WavReader.read(headerOnly))
                .getMessage();
        assertTrue(msg.contains("truncated"), msg);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) format)
                .putShort((short) channels)
                .putInt(rate)
                .putInt(rate * channels * Math.max(1, bits / 8))
                .putShort((short) (channels * Math.max(1, bits / 8)))
                .putShort((short) bits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(4 + 24 + 8 + data.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16);
        out.writeBytes(head.array());
        out.writeBytes(fmt.array());
        ByteBuffer dataHead = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        dataHead.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length);
        out.writeBytes(dataHead.array());
        out.writeBytes(data);
        return out.toByteArray();
    }
}
