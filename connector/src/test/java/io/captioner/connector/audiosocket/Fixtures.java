package io.captioner.connector.audiosocket;

import io.captioner.asr.audio.G711;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The AudioSocket byte streams captured from Asterisk 22.10.1 (../shared/fixtures/asterisk). */
public final class Fixtures {
    private Fixtures() {}

    public static Path dir() {
        return Path.of(System.getProperty("shared.dir", "../../shared"), "fixtures", "asterisk");
    }

    public static byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir().resolve(name));
    }

    /** What each capture must decode to. */
    public record Expectation(
            String file, int kind, int payloadBytes, TapFormat format, double leftHz, double rightHz, G711.Law law) {}

    public static final Expectation[] ALL = {
        new Expectation(
                "audiosocket_chanspy_qEuo_slin8_caller440.bin", 0x10, 320, new TapFormat(8000, false), 440, 0, null),
        new Expectation(
                "audiosocket_chanspy_qEuo_slin8_agent1000.bin", 0x10, 320, new TapFormat(8000, false), 1000, 0, null),
        new Expectation(
                "audiosocket_chanspy_qEuD_stereo_L440_R1000.bin",
                0x10,
                640,
                new TapFormat(8000, true),
                440,
                1000,
                null),
        new Expectation("audiosocket_chanspy_qEu_mixed.bin", 0x10, 320, new TapFormat(8000, false), -1, 0, null),
        new Expectation(
                "audiosocket_ari_snoop_in_slin16_caller440.bin", 0x12, 640, new TapFormat(16000, false), 440, 0, null),
        new Expectation(
                "audiosocket_ari_snoop_out_slin16_agent1000.bin",
                0x12,
                640,
                new TapFormat(16000, false),
                1000,
                0,
                null),
        new Expectation(
                "audiosocket_chanspy_c_ulaw_mislabelled_0x10.bin",
                0x10,
                160,
                new TapFormat(8000, false),
                440,
                0,
                G711.Law.ULAW),
        new Expectation(
                "audiosocket_chanspy_codecs_alaw_mislabelled_0x10.bin",
                0x10,
                160,
                new TapFormat(8000, false),
                440,
                0,
                G711.Law.ALAW),
    };

    public static final String MISSING_TARGET = "audiosocket_target_missing_uuid_then_fin.bin";
}
