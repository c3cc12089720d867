package io.captioner.asr.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared WeNet fixtures and reads their raw binary files. */
public final class Fixtures {
    private Fixtures() {}

    public static Path shared() {
        return Path.of(System.getProperty("shared.dir", "../../shared"))
                .toAbsolutePath()
                .normalize();
    }

    public static Path wenet() {
        return shared().resolve("fixtures/wenet");
    }

    public static Path audio(String name) {
        return wenet().resolve("audio").resolve(name);
    }

    public static Path export(String family, String mode) {
        return wenet().resolve(family).resolve("export_" + mode);
    }

    public static float[] readFloats(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }

    public static short[] readShorts(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        buf.asShortBuffer().get(out);
        return out;
    }
}
