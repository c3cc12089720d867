package io.captioner.asr.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.testing.Fixtures;
import java.nio.file.Files;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a WAV input holds, reading it either gives audio or an {@link AudioFormatException} that names
 * the file; nothing else escapes. More tries: {@code bench/fuzz/run.sh}.
 */
class WavReaderFuzzTest {
    private static final byte[] VALID = read();

    private static byte[] read() {
        try {
            return Files.readAllBytes(Fixtures.audio("speech_8k.wav"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property
    void arbitraryBytes(@ForAll @Size(max = 400) byte[] bytes) {
        readsOrExplains(bytes);
    }

    @Property
    void aValidFileWithBytesChangedOrCutOff(@ForAll("damaged") byte[] bytes) {
        readsOrExplains(bytes);
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<int[]> edits = Arbitraries.integers()
                .between(0, 80)
                .array(int[].class)
                .ofMinSize(1)
                .ofMaxSize(12);
        return Arbitraries.integers()
                .between(12, VALID.length)
                .flatMap(length -> edits.flatMap(positions -> Arbitraries.bytes()
                        .array(byte[].class)
                        .ofSize(positions.length)
                        .map(values -> {
                            byte[] bytes = java.util.Arrays.copyOf(VALID, length);
                            for (int i = 0; i < positions.length; i++) {
                                bytes[Math.min(positions[i], length - 1)] =
                                        values[i]; // the headers live in the first 80 bytes
                            }
                            return bytes;
                        })));
    }

    private static void readsOrExplains(byte[] bytes) {
        try {
            PcmAudio audio = WavReader.parse(bytes, 0, "input.wav");
            assertTrue(audio.sampleRate() > 0 && audio.samples().length <= bytes.length, "plausible audio");
        } catch (AudioFormatException e) {
            assertTrue(e.getMessage().contains("input.wav"), "the error names the file: " + e.getMessage());
        }
    }
}
