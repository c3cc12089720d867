package io.captioner.asr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a {@code wav.scp} holds, {@code transcribe} either lists its entries or stops with an
 * {@link IOException} naming the file (and the line); nothing else escapes. More tries: {@code bench/fuzz/run.sh}.
 */
class WavScpFuzzTest {
    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("wavscp-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property
    void arbitraryText(@ForAll("scpText") String text) throws IOException {
        listsOrExplains(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Property
    void arbitraryBytes(@ForAll byte[] bytes) throws IOException {
        listsOrExplains(bytes);
    }

    @Provide
    Arbitrary<String> scpText() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab/._-# \t\\:*?\"<>|").ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.of("utt1", "../x.wav", "/abs.wav", "", "#", "\u0000"));
        Arbitrary<String> line = token.list().ofMaxSize(4).map(words -> String.join(" ", words));
        return line.list().ofMaxSize(6).map(lines -> String.join("\n", lines));
    }

    private static void listsOrExplains(byte[] content) throws IOException {
        Path scp = dir.resolve("wav.scp");
        Files.write(scp, content);
        try {
            List<String[]> entries = TranscribeCommand.expandInputs(List.of(scp.toString()));
            assertTrue(
                    entries.stream().allMatch(e -> e.length == 2 && !e[0].isBlank()),
                    "every entry has an id and a path");
        } catch (IOException e) {
            assertTrue(e.getMessage().contains(scp.toString()), "the error names the file: " + e.getMessage());
        }
    }
}
