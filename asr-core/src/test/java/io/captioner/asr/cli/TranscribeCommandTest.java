package io.captioner.asr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captioner.asr.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscribeCommandTest {
    static final String DENSE_BEST = "n qncqniqzciqiq qnznznfqnqncfq qiciqnqiqn fnzniq qniqn niqncqnqnz";
    static final String FULL_BEST = "n qnqniqnciqiq qnznznfqnqncfq qifciqnqiqn fqzniq qniqn niqncqnqnz";

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    /**
     * Runs transcribe as the fixtures' reference texts were decoded: WeNet's beam of 10 and, unless
     * {@code --full} is given, finals from the streaming encoder output.
     */
    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Stream<String> asWenet = List.of(args).contains("--full")
                ? Stream.of("--beam", "10")
                : Stream.of("--beam", "10", "--streaming-finals");
        String[] atWenetsBeam = Stream.concat(asWenet, Arrays.stream(args)).toArray(String[]::new);
        int status = TranscribeCommand.run(
                atWenetsBeam,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String model(String family, String mode) {
        return Fixtures.export(family, mode).toString();
    }

    @Test
    void transcribesAWavToKaldiTextWithRtfOnStderr() {
        Run r = run(
                "--model",
                model("dense", "16_-1"),
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("speech_16k\t" + DENSE_BEST), r.lines());
        assertTrue(r.err().contains("RTF"), r.err());
        assertTrue(r.err().contains("model: "), r.err());
    }

    @Test
    void wavScpPathsAreRelativeToTheScpFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data/audio"));
        Files.copy(Fixtures.audio("speech_16k.wav"), dir.resolve("a.wav"));
        Files.copy(Fixtures.audio("speech_8k.wav"), dir.resolve("b.wav"));
        Path scp = tmp.resolve("data/wav.scp");
        Files.writeString(scp, "utt1 audio/a.wav\nutt2\taudio/b.wav\n\n");
        Run r = run("--model", model("dense", "16_-1"), scp.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(2, r.lines().size(), r.out());
        assertEquals("utt1\t" + DENSE_BEST, r.lines().get(0));
        assertTrue(
                r.lines().get(1).startsWith("utt2\t") && r.lines().get(1).length() > 10,
                r.lines().get(1));
        assertTrue(r.err().contains("total: 2 input(s)"), r.err());
    }

    @Test
    void jsonPrintsPartialsAndFinalsWithTimestamps() throws Exception {
        Run r = run(
                "--model",
                model("dense", "16_-1"),
                "--json",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, r.status(), r.err());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.lines()) {
            events.add(json.readTree(line));
        }
        JsonNode last = events.get(events.size() - 1);
        assertEquals("final", last.get("type").asText());
        assertEquals(DENSE_BEST, last.get("text").asText());
        assertEquals("speech_16k", last.get("id").asText());
        assertEquals("end_of_input", last.get("end_reason").asText());
        assertEquals(10, last.get("nbest").size());
        assertTrue(last.get("words").size() >= 7);
        assertTrue(last.get("words").get(0).get("end_ms").asLong()
                >= last.get("words").get(0).get("start_ms").asLong());
        long partials = events.stream()
                .filter(e -> e.get("type").asText().equals("partial"))
                .count();
        assertEquals(9, partials, "a partial after each of the 9 chunks");
        assertTrue(events.get(0).has("stable_prefix"));
    }

    @Test
    void fullContextAndStreamingOptionsReachTheDecoder() {
        Run full = run(
                "--model",
                model("dense", "16_-1"),
                "--full",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, full.status(), full.err());
        assertEquals(List.of("speech_16k\t" + FULL_BEST), full.lines());
        Run leftOnAllHistory = run(
                "--model",
                model("dense", "16_-1"),
                "--left-chunks",
                "4",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, leftOnAllHistory.status());
        assertTrue(leftOnAllHistory.err().contains("left chunks 4"), leftOnAllHistory.err());
        Run beam1 = run(
                "--model",
                model("dense", "16_-1"),
                "--beam",
                "1",
                "--ctc-weight",
                "0.3",
                "--reverse-weight",
                "0",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, beam1.status(), beam1.err());
        assertEquals(1, beam1.lines().size());
    }

    @Test
    void itnSwitchNormalisesFinals() {
        Run plain = run(
                "--model",
                model("dense", "16_-1"),
                Fixtures.audio("speech_16k.wav").toString());
        Run itn = run(
                "--model",
                model("dense", "16_-1"),
                "--itn",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, itn.status(), itn.err());
        String plainText = plain.lines().get(0).split("\t", 2)[1];
        assertEquals(
                "speech_16k\t" + new io.captioner.asr.search.InverseTextNormalizer().normalize(plainText),
                itn.lines().get(0));
    }

    @Test
    void hotwordsFileIsRead() throws Exception {
        Path hotwords = Files.writeString(tmp.resolve("hot.txt"), "# boosted\nx\n");
        Run r = run(
                "--model",
                model("dense", "16_-1"),
                "--hotwords",
                hotwords.toString(),
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.lines().get(0).chars().filter(c -> c == 'x').count() > 0, r.out());
        Run missing = run(
                "--model",
                model("dense", "16_-1"),
                "--hotwords",
                tmp.resolve("nope.txt").toString(),
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
    }

    @Test
    void badInputsGiveClearErrorsAndStatus() throws Exception {
        Run unknown = run("--frobnicate", "x.wav");
        assertEquals(2, unknown.status());
        assertTrue(
                unknown.err().contains("Unknown option: '--frobnicate'")
                        && unknown.err().contains("Usage: transcribe"),
                unknown.err());
        Run noInput = run("--model", model("dense", "16_-1"));
        assertEquals(2, noInput.status());
        Run fullAndStreaming = run(
                "--model",
                model("dense", "16_-1"),
                "--full",
                "--streaming-finals",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, fullAndStreaming.status());
        assertTrue(
                fullAndStreaming.err().contains("--full and --streaming-finals exclude each other"),
                fullAndStreaming.err());
        Run missingWav = run(
                "--model", model("dense", "16_-1"), tmp.resolve("missing.wav").toString());
        assertEquals(2, missingWav.status());
        assertTrue(missingWav.err().contains("missing.wav: no such file"), missingWav.err());
        Run badModel = run(
                "--model",
                tmp.resolve("nomodel").toString(),
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, badModel.status());
        assertTrue(
                badModel.err().contains("cannot load model") && badModel.err().contains("nomodel"), badModel.err());
        // one broken file in a list: the others are still transcribed, status 1
        Path broken =
                Files.write(tmp.resolve("broken.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 0, 0, 0, 'W', 'A', 'V', 'E'});
        Path scp = Files.writeString(
                tmp.resolve("wav.scp"), "bad broken.wav\ngood " + Fixtures.audio("speech_16k.wav") + "\n");
        Run mixed = run("--model", model("dense", "16_-1"), scp.toString());
        assertEquals(1, mixed.status());
        assertEquals(List.of("good\t" + DENSE_BEST), mixed.lines());
        assertTrue(mixed.err().contains("bad: " + broken), mixed.err());
    }

    @Test
    void defaultModelIsFoundUnderCaptionerHome() throws Exception {
        Path modelDir = Files.createDirectories(tmp.resolve(TranscribeCommand.DEFAULT_MODEL));
        try (var files = Files.list(Fixtures.export("dense", "16_-1"))) {
            for (Path f : files.toList()) {
                Files.copy(f, modelDir.resolve(f.getFileName()));
            }
        }
        String previous = System.getProperty("captioner.home");
        System.setProperty("captioner.home", tmp.toString());
        try {
            Run r = run(Fixtures.audio("speech_16k.wav").toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(List.of("speech_16k\t" + DENSE_BEST), r.lines());
        } finally {
            if (previous == null) {
                System.clearProperty("captioner.home");
            } else {
                System.setProperty("captioner.home", previous);
            }
        }
    }

    /** A word LM whose vocabulary holds none of the random model's words: every word is penalised. */
    private Path foreignLanguageModel() throws Exception {
        return Files.writeString(tmp.resolve("lm.arpa"), """
                \\data\\
                ngram 1=4

                \\1-grams:
                -1.0 <unk>
                -99 <s>
                -0.5 </s>
                -0.3 hello

                \\end\\
                """);
    }

    @Test
    void aLanguageModelReachesTheSearchAndTheRescoringAndTheRtfLineSaysSo() throws Exception {
        Path lm = foreignLanguageModel();
        Run with = run(
                "--model",
                model("dense", "16_-1"),
                "--lm",
                lm.toString(),
                "--unknown-word-penalty",
                "-20",
                "--json",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, with.status(), with.err());
        assertTrue(with.err().contains("language model: " + lm), with.err());
        assertTrue(with.err().contains("language model on"), with.err());
        JsonNode last =
                new ObjectMapper().readTree(with.lines().get(with.lines().size() - 1));
        assertTrue(last.get("nbest").get(0).get("lm_score").asDouble() < 0, last.toString());
        assertTrue(
                !last.get("text").asText().equals(DENSE_BEST)
                        && last.get("text").asText().length() < DENSE_BEST.length(),
                "unknown words at -20 each shorten the output: " + last.get("text"));

        Run without = run(
                "--model",
                model("dense", "16_-1"),
                "--no-lm",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(List.of("speech_16k\t" + DENSE_BEST), without.lines());
        assertTrue(without.err().contains("language model off"), without.err());
    }

    @Test
    void aModelDirectorysOwnLanguageModelIsUsedByDefault() throws Exception {
        Path modelDir = Files.createDirectories(tmp.resolve("model"));
        try (var files = Files.list(Fixtures.export("dense", "16_-1"))) {
            for (Path f : files.toList()) {
                Files.copy(f, modelDir.resolve(f.getFileName()));
            }
        }
        Files.move(foreignLanguageModel(), modelDir.resolve("lm.arpa"));
        Run r = run(
                "--model", modelDir.toString(), Fixtures.audio("speech_16k.wav").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("language model: " + modelDir.resolve("lm.arpa")), r.err());
        assertTrue(r.err().contains("language model on"), r.err());
    }

    @Test
    void aBrokenLanguageModelOrContradictoryOptionsStopWithTheReason() throws Exception {
        Path broken =
                Files.writeString(tmp.resolve("broken.arpa"), "\\data\\\nngram 1=2\n\n\\1-grams:\n-1 a\n\\end\\\n");
        Run r = run(
                "--model",
                model("dense", "16_-1"),
                "--lm",
                broken.toString(),
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, r.status());
        assertTrue(
                r.err()
                        .contains(
                                "language model " + broken + ":6: \\data\\ declares 2 1-grams but the section holds 1"),
                r.err());
        Run both = run(
                "--model",
                model("dense", "16_-1"),
                "--lm",
                broken.toString(),
                "--no-lm",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("--lm and --no-lm contradict each other"), both.err());
        Run badWeight = run(
                "--model",
                model("dense", "16_-1"),
                "--lm-weight",
                "-1",
                Fixtures.audio("speech_16k.wav").toString());
        assertEquals(2, badWeight.status());
        assertTrue(
                badWeight.err().contains("language model weight must lie in [0.0, 10.0], got -1.0"), badWeight.err());
    }
}
