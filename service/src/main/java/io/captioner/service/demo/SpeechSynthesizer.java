package io.captioner.service.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Speaks text into 8 kHz, 16-bit mono telephone audio with Debian's espeak-ng or flite, resampled
 * by sox. A voice is written {@code espeak:en-us} or {@code flite:slt}.
 */
public final class SpeechSynthesizer {
    public static final int SAMPLE_RATE = 8000;

    private final Path workDir;

    public SpeechSynthesizer(Path workDir) {
        this.workDir = workDir;
    }

    public short[] speak(String voice, String text) {
        try {
            Files.createDirectories(workDir);
            Path raw = Files.createTempFile(workDir, "tts", ".wav");
            Path telephone = Files.createTempFile(workDir, "tel", ".raw");
            try {
                run(synthesisCommand(voice, text, raw));
                run(List.of(
                        "sox",
                        raw.toString(),
                        "-t",
                        "raw",
                        "-r",
                        String.valueOf(SAMPLE_RATE),
                        "-e",
                        "signed-integer",
                        "-b",
                        "16",
                        "-c",
                        "1",
                        "-L",
                        telephone.toString()));
                byte[] bytes = Files.readAllBytes(telephone);
                short[] samples = new short[bytes.length / 2];
                ByteBuffer.wrap(bytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asShortBuffer()
                        .get(samples);
                return samples;
            } finally {
                Files.deleteIfExists(raw);
                Files.deleteIfExists(telephone);
            }
        } catch (IOException e) {
            throw new IllegalStateException("speech synthesis failed for voice " + voice + ": " + e.getMessage(), e);
        }
    }

    private static List<String> synthesisCommand(String voice, String text, Path out) {
        int colon = voice.indexOf(':');
        String engine = colon < 0 ? "espeak" : voice.substring(0, colon);
        String name = colon < 0 ? voice : voice.substring(colon + 1);
        List<String> cmd = new ArrayList<>();
        switch (engine) {
            case "espeak" -> cmd.addAll(List.of("espeak-ng", "-v", name, "-s", "150", "-w", out.toString(), text));
            case "flite" -> cmd.addAll(List.of("flite", "-voice", name, "-t", text, "-o", out.toString()));
            default ->
                throw new IllegalArgumentException("unknown speech engine '" + engine + "' in voice '" + voice
                        + "' (use espeak:<voice> or flite:<voice>)");
        }
        return cmd;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            byte[] log = output.readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed: " + new String(log).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(command.get(0) + " interrupted");
        }
    }
}
