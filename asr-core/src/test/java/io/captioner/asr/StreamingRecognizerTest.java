package io.captioner.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.Resampler;
import io.captioner.asr.audio.WavReader;
import io.captioner.asr.search.EndpointRules;
import io.captioner.asr.search.TimedWord;
import io.captioner.asr.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingRecognizerTest {
    /** Endpoint rules that never fire within these tests' audio. */
    static final EndpointRules NO_ENDPOINTS = new EndpointRules(1_000_000, 1_000_000, 1_000_000, 0.8);

    static AsrModel dense;
    static AsrModel limitedLeft;
    static PcmAudio speech16k;
    static PcmAudio speech8k;

    @BeforeAll
    static void load() throws Exception {
        dense = AsrModel.load(Fixtures.export("dense", "16_-1"));
        limitedLeft = AsrModel.load(Fixtures.export("dense", "16_4"));
        speech16k = WavReader.read(Fixtures.audio("speech_16k.wav"));
        speech8k = WavReader.read(Fixtures.audio("speech_8k.wav"));
    }

    @AfterAll
    static void close() {
        dense.close();
        limitedLeft.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "dense/export_16_-1",
                "dense/export_16_4",
                "dense/export_full",
                "dense/export_16_-1_rw0",
                "moe/export_16_-1",
                "moe/export_16_4",
                "moe/export_full"
            })
    void wavToFinalGivesWenetsBestText(String export) throws Exception {
        var ref = new ObjectMapper()
                .readTree(Fixtures.wenet()
                        .resolve(export)
                        .resolve("reference.json")
                        .toFile());
        try (AsrModel model = AsrModel.load(Fixtures.wenet().resolve(export))) {
            // WeNet's references were decoded with its default beam of 10, finals from the streaming encoder output
            StreamingRecognizer r = model.newRecognizer(DecodeOptions.builder()
                    .beam(10)
                    .fullContextFinals(false)
                    .endpointRules(NO_ENDPOINTS)
                    .build());
            List<AsrResult> results = feed(r, speech16k.samples(), 16000, 1600);
            AsrResult last = results.get(results.size() - 1);
            assertTrue(last.isFinal());
            assertEquals(AsrResult.EndReason.END_OF_INPUT, last.endReason());
            assertEquals(ref.get("best_text").asText(), last.text());
            assertEquals(0, last.segment());
            assertEquals(10, last.nbest().size());
            assertEquals(last.text(), last.nbest().get(0).text());
            assertEquals(1, results.stream().filter(AsrResult::isFinal).count());
            List<AsrResult> partials =
                    results.stream().filter(x -> !x.isFinal()).toList();
            if (model.metadata().streaming()) {
                assertEquals(ref.get("steps").size(), partials.size(), "a partial after every chunk");
                for (AsrResult p : partials) {
                    assertTrue(p.stablePrefixLength() <= p.text().length());
                    assertTrue(p.nbest().isEmpty());
                }
            } else {
                assertTrue(partials.isEmpty(), "full context: no partials");
            }
            assertWordsOrderedWithin(last.words(), 0, speech16k.samples().length * 1000L / 16000);
            assertTrue(last.confidence() > 0 && last.confidence() <= 1);
        }
    }

    @Test
    void feedingInOddPiecesGivesTheSameResultsAsWhole() {
        List<AsrResult> whole = feed(
                dense.newRecognizer(DecodeOptions.defaults()), speech16k.samples(), 16000, speech16k.samples().length);
        List<AsrResult> pieces = feed(dense.newRecognizer(DecodeOptions.defaults()), speech16k.samples(), 16000, 333);
        assertEquals(
                texts(whole.stream().filter(AsrResult::isFinal).toList()),
                texts(pieces.stream().filter(AsrResult::isFinal).toList()));
        assertEquals(texts(whole), texts(pieces));
    }

    @Test
    void audioAtAnotherRateIsResampledToTheModelRate() {
        List<AsrResult> viaAcceptAudio =
                feed(dense.newRecognizer(DecodeOptions.defaults()), speech8k.samples(), 8000, 160);
        Resampler resampler = new Resampler(8000, 16000);
        float[] in = new float[speech8k.samples().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = speech8k.samples()[i];
        }
        StreamingRecognizer r = dense.newRecognizer(DecodeOptions.defaults());
        List<AsrResult> direct = new ArrayList<>(r.acceptSamples(resampler.process(in)));
        direct.addAll(r.acceptSamples(resampler.flush()));
        direct.addAll(r.finish());
        assertEquals(texts(direct), texts(viaAcceptAudio));
        AsrResult last = viaAcceptAudio.get(viaAcceptAudio.size() - 1);
        assertTrue(last.isFinal() && !last.text().isEmpty());
        // the resampled stream has the 16 kHz duration: words end within the audio
        assertWordsOrderedWithin(last.words(), 0, speech8k.samples().length * 1000L / 8000);
        StreamingRecognizer changing = dense.newRecognizer(DecodeOptions.defaults());
        changing.acceptAudio(new short[800], 8000);
        assertThrows(IllegalArgumentException.class, () -> changing.acceptAudio(new short[800], 44100));
        assertThrows(IllegalArgumentException.class, () -> changing.acceptAudio(new short[800], 16000));
    }

    @Test
    void endpointsSplitTheStreamIntoSegmentsWithStreamTimes() {
        // rule 3 at 2 s: every utterance ends after at most 2 s (plus the chunk that crossed it)
        DecodeOptions options = DecodeOptions.builder()
                .endpointRules(new EndpointRules(1_000_000, 1_000_000, 2000, 0.8))
                .build();
        short[] twice = concat(speech16k.samples(), speech16k.samples());
        List<AsrResult> results = feed(dense.newRecognizer(options), twice, 16000, 1234);
        List<AsrResult> finals = results.stream().filter(AsrResult::isFinal).toList();
        long durationMs = twice.length * 1000L / 16000;
        assertTrue(finals.size() >= 5, finals.size() + " finals");
        long previousEnd = 0;
        for (int i = 0; i < finals.size(); i++) {
            AsrResult f = finals.get(i);
            assertEquals(i, f.segment());
            assertFalse(f.text().isEmpty());
            if (i < finals.size() - 1) {
                assertEquals(AsrResult.EndReason.MAX_UTTERANCE, f.endReason());
            }
            assertTrue(
                    f.startMs() >= previousEnd - 100,
                    "segment " + i + " starts at " + f.startMs() + " before " + previousEnd);
            assertTrue(
                    f.endMs() - f.startMs() <= 2000 + 640 + 100,
                    "segment " + i + " lasts " + (f.endMs() - f.startMs()));
            assertWordsOrderedWithin(f.words(), previousEnd - 100, durationMs);
            previousEnd = f.endMs();
        }
        assertTrue(previousEnd > durationMs - 1500, "the last segment reaches the end of the stream: " + previousEnd);
        // partials carry the segment of the utterance they belong to
        int segment = 0;
        for (AsrResult r : results) {
            assertEquals(segment, r.segment());
            if (r.isFinal()) {
                segment++;
            }
        }
    }

    @Test
    void stretchesWithoutWordsGiveNoFinalUnlessAPartialNeedsClosing() throws Exception {
        // the shipped telephony model on a held line: speech, then digital silence (comfort noise), then hangup
        Path modelDir =
                Path.of("").toAbsolutePath().getParent().resolve("models").resolve("u2pp-moe-telephony");
        short[] call = concat(speech8k.samples(), new short[8000 * 12]);
        try (AsrModel model = AsrModel.load(modelDir)) {
            for (int piece : new int[] {160, 1000, 8000}) {
                List<AsrResult> results = feed(model.newRecognizer(DecodeOptions.defaults()), call, 8000, piece);
                List<AsrResult> finals =
                        results.stream().filter(AsrResult::isFinal).toList();
                assertFalse(
                        finals.isEmpty() || finals.get(0).text().isEmpty(),
                        texts(results).toString());
                for (AsrResult f : finals) {
                    boolean hadPartial = results.stream().anyMatch(r -> !r.isFinal() && r.segment() == f.segment());
                    assertTrue(
                            !f.text().isEmpty() || hadPartial,
                            "piece " + piece + ": an empty final closes no partial: " + texts(results));
                }
            }
        }
    }

    @Test
    void positionTableIsNeverExceededOnAnEndlessUtterance() {
        // a table of 300 frames (12 s) stands in for WeNet's 5000 (200 s): same mechanism, faster test
        DecodeOptions options = DecodeOptions.builder()
                .endpointRules(NO_ENDPOINTS)
                .maxEncoderFrames(300)
                .build();
        StreamingRecognizer r = dense.newRecognizer(options);
        List<AsrResult> finals = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // 46 s without an endpoint
            for (int start = 0; start < speech16k.samples().length; start += 8000) {
                short[] piece = Arrays.copyOfRange(
                        speech16k.samples(), start, Math.min(start + 8000, speech16k.samples().length));
                r.acceptAudio(piece, 16000).stream().filter(AsrResult::isFinal).forEach(finals::add);
                assertTrue(r.encoderOffset() <= 300, "offset " + r.encoderOffset());
            }
        }
        r.finish().stream().filter(AsrResult::isFinal).forEach(finals::add);
        assertTrue(finals.size() >= 3, finals.size() + " finals");
        for (int i = 0; i < finals.size() - 1; i++) {
            assertEquals(AsrResult.EndReason.POSITION_LIMIT, finals.get(i).endReason());
            assertEquals(i, finals.get(i).segment());
            assertTrue(
                    finals.get(i).endMs() <= 12_000L * (i + 1) + 100,
                    "segment " + i + " ends at " + finals.get(i).endMs());
        }
    }

    @Test
    void aFailingStreamEndsAloneWhileAnotherOnTheSameModelKeepsGoing() {
        // Without the position-table guard (table 6000 > the export's real 5000) ONNX Runtime fails once
        // offset + chunk passes 5000: a real failure inside one stream's run. The guarded stream on the
        // same model, also without endpoints (beam 1 keeps its rescoring cheap), gets the same 220 s of
        // audio, is reset by the guard at the real table size, and ends normally.
        DecodeOptions noEndpoints =
                DecodeOptions.builder().endpointRules(NO_ENDPOINTS).beam(1).build();
        StreamingRecognizer unguarded = limitedLeft.newRecognizer(
                noEndpoints.toBuilder().maxEncoderFrames(6000).build(), "leg-unguarded");
        StreamingRecognizer guarded = limitedLeft.newRecognizer(noEndpoints, "leg-guarded");
        short[] silence = new short[16000 * 10];
        AsrStreamException failure = null;
        long guardedMaxOffset = 0;
        List<AsrResult> guardedFinals = new ArrayList<>();
        for (int i = 0; i < 22; i++) { // 220 s
            if (failure == null) {
                try {
                    unguarded.acceptAudio(silence, 16000);
                } catch (AsrStreamException e) {
                    failure = e;
                }
            }
            guarded.acceptAudio(silence, 16000).stream()
                    .filter(AsrResult::isFinal)
                    .forEach(guardedFinals::add);
            guardedMaxOffset = Math.max(guardedMaxOffset, guarded.encoderOffset());
        }
        assertTrue(failure != null, "ONNX Runtime accepted offsets past 5000");
        assertTrue(failure.getMessage().startsWith("leg-unguarded: decoding failed"), failure.getMessage());
        assertTrue(unguarded.encoderOffset() > 4900, "failed at offset " + unguarded.encoderOffset());
        StreamingRecognizer failed = unguarded;
        IllegalStateException after =
                assertThrows(IllegalStateException.class, () -> failed.acceptAudio(silence, 16000));
        assertTrue(after.getMessage().contains("failed earlier"), after.getMessage());
        // the guard reset the other stream at the real table size, and it keeps going
        assertTrue(guardedMaxOffset <= DecodeOptions.POSITION_TABLE_SIZE, "guarded stream reached " + guardedMaxOffset);
        assertEquals(1, guardedFinals.size(), "one forced final in 220 s");
        assertEquals(AsrResult.EndReason.POSITION_LIMIT, guardedFinals.get(0).endReason());
        assertTrue(
                guardedFinals.get(0).endMs() <= 200_000,
                "ends by 200 s: " + guardedFinals.get(0).endMs());
        List<AsrResult> rest = feed(guarded, speech16k.samples(), 16000, 1600);
        assertEquals(1, rest.get(rest.size() - 1).segment());
        // and a fresh stream on the same model still decodes exactly
        List<AsrResult> fresh = feed(
                limitedLeft.newRecognizer(DecodeOptions.builder()
                        .beam(10)
                        .endpointRules(NO_ENDPOINTS)
                        .build()),
                speech16k.samples(),
                16000,
                1600);
        assertEquals(
                "n qncqnqzciqiq qnznznzn qnqncfq qiciqnqiqn fnzniq qniqn niqncqnqnz",
                fresh.get(fresh.size() - 1).text());
    }

    @Test
    void concurrentStreamsOnOneModelGiveTheSameResultsAsOneAtATime() throws Exception {
        List<String> sequential =
                texts(feed(dense.newRecognizer(DecodeOptions.defaults()), speech16k.samples(), 16000, 640));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() ->
                        texts(feed(dense.newRecognizer(DecodeOptions.defaults()), speech16k.samples(), 16000, 640))));
            }
            for (Future<List<String>> f : futures) {
                assertEquals(sequential, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hotwordsBiasTheSearchAndCanBeChangedMidStream() {
        List<AsrResult> plain = feed(
                dense.newRecognizer(
                        DecodeOptions.builder().endpointRules(NO_ENDPOINTS).build()),
                speech16k.samples(),
                16000,
                1600);
        String plainText = plain.get(plain.size() - 1).text();
        assertFalse(plainText.contains("xyz"));
        DecodeOptions boosted = DecodeOptions.builder()
                .endpointRules(NO_ENDPOINTS)
                .hotwords(List.of("x"))
                .hotwordBoost(8.0)
                .build();
        List<AsrResult> withHotword = feed(dense.newRecognizer(boosted), speech16k.samples(), 16000, 1600);
        String biased = withHotword.get(withHotword.size() - 1).text();
        assertTrue(count(biased, 'x') > count(plainText, 'x'), "boosting 'x': " + biased + " vs " + plainText);
        StreamingRecognizer r = dense.newRecognizer(
                DecodeOptions.builder().endpointRules(NO_ENDPOINTS).build());
        r.setHotwords(List.of("x"), 8.0);
        r.setHotwords(List.of(), 0);
        List<AsrResult> cleared = feed(r, speech16k.samples(), 16000, 1600);
        assertEquals(plainText, cleared.get(cleared.size() - 1).text());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.setHotwords(List.of("caf\u00e9 \u4e2d"), 3.0));
        assertTrue(e.getMessage().contains("\u4e2d"), e.getMessage());
    }

    @Test
    void optionsThatDoNotFitTheExportAreRejected() throws Exception {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> dense.newRecognizer(
                                DecodeOptions.builder().leftChunks(4).build()))
                .getMessage()
                .contains("left chunks 4"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> limitedLeft.newRecognizer(
                                DecodeOptions.builder().fullContext(true).build()))
                .getMessage()
                .contains("full context"));
        try (AsrModel rw0 = AsrModel.load(Fixtures.export("dense", "16_-1_rw0"))) {
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> rw0.newRecognizer(
                                    DecodeOptions.builder().reverseWeight(0.3).build()))
                    .getMessage()
                    .contains("right-to-left"));
        }
        StreamingRecognizer r = dense.newRecognizer(DecodeOptions.defaults());
        r.finish();
        assertThrows(IllegalStateException.class, r::finish);
    }

    @Test
    void leftChunksOfALimitedLeftExportCanBeChosenPerStream() {
        StreamingRecognizer r =
                limitedLeft.newRecognizer(DecodeOptions.builder().leftChunks(2).build());
        assertEquals(32, r.encoderOffset(), "offset starts at chunk x left");
        List<AsrResult> results = feed(r, speech16k.samples(), 16000, 1600);
        AsrResult last = results.get(results.size() - 1);
        assertTrue(last.isFinal() && !last.text().isEmpty());
        assertEquals(9, r.chunksDecoded());
    }

    @Test
    void fullContextOnAStreamingExportDecodesOnceAtTheEnd() {
        StreamingRecognizer r = dense.newRecognizer(
                DecodeOptions.builder().beam(10).fullContext(true).build());
        assertEquals(-1, r.chunkSize());
        List<AsrResult> results = feed(r, speech16k.samples(), 16000, 1600);
        assertEquals(1, results.size());
        // same graph weights as dense/export_full: same best text as its reference
        assertEquals(
                "n qnqniqnciqiq qnznznfqnqncfq qifciqnqiqn fqzniq qniqn niqncqnqnz",
                results.get(0).text());
        assertEquals(1, r.chunksDecoded());
    }

    @Test
    void fullContextFinalsKeepTheStreamingPartialsAndGiveTheFullContextDecodeOfTheUtterance() {
        DecodeOptions streaming = DecodeOptions.builder()
                .beam(10)
                .finalBeam(10)
                .fullContextFinals(false)
                .endpointRules(NO_ENDPOINTS)
                .build();
        List<AsrResult> streamed = feed(dense.newRecognizer(streaming), speech16k.samples(), 16000, 1600);
        StreamingRecognizer twoPass = dense.newRecognizer(
                streaming.toBuilder().fullContextFinals(true).build());
        List<AsrResult> results = feed(twoPass, speech16k.samples(), 16000, 1600);
        List<AsrResult> whole = feed(
                dense.newRecognizer(streaming.toBuilder().fullContext(true).build()), speech16k.samples(), 16000, 1600);
        assertEquals(
                texts(streamed.stream().filter(x -> !x.isFinal()).toList()),
                texts(results.stream().filter(x -> !x.isFinal()).toList()));
        AsrResult last = results.get(results.size() - 1);
        assertTrue(last.isFinal());
        assertEquals(whole.get(0).text(), last.text());
        assertEquals(nbestLines(whole.get(0)), nbestLines(last));
        assertNotEquals(streamed.get(streamed.size() - 1).text(), last.text(), "the fixture's two decodes differ");
        assertWordsOrderedWithin(last.words(), 0, speech16k.samples().length * 1000L / 16000);
    }

    /**
     * The partials keep {@code beam} prefixes and the final's full-context search {@code finalBeam}: with beam 3
     * and final beam 12 the partials are those of a beam-3 stream, and the final, with its n-best, that of a
     * whole-file decode at beam 12, which keeps more than 3 hypotheses.
     */
    @Test
    void theFinalPassSearchesWithTheFinalBeamAndThePartialsWithTheBeam() {
        DecodeOptions narrow = DecodeOptions.builder()
                .beam(3)
                .finalBeam(3)
                .endpointRules(NO_ENDPOINTS)
                .build();
        List<AsrResult> narrowResults = feed(dense.newRecognizer(narrow), speech16k.samples(), 16000, 1600);
        List<AsrResult> results =
                feed(dense.newRecognizer(narrow.toBuilder().finalBeam(12).build()), speech16k.samples(), 16000, 1600);
        List<AsrResult> whole = feed(
                dense.newRecognizer(
                        narrow.toBuilder().beam(12).fullContext(true).build()),
                speech16k.samples(),
                16000,
                1600);
        assertEquals(
                texts(narrowResults.stream().filter(x -> !x.isFinal()).toList()),
                texts(results.stream().filter(x -> !x.isFinal()).toList()));
        AsrResult last = results.get(results.size() - 1);
        assertTrue(last.isFinal());
        assertEquals(nbestLines(whole.get(0)), nbestLines(last));
        assertTrue(
                last.nbest().size() > 3, "the final pass kept " + last.nbest().size() + " hypotheses");
        assertEquals(3, narrowResults.get(narrowResults.size() - 1).nbest().size());
    }

    @Test
    void aLimitedLeftExportKeepsStreamingFinals() throws Exception {
        var ref = new ObjectMapper()
                .readTree(Fixtures.wenet()
                        .resolve("dense/export_16_4/reference.json")
                        .toFile());
        StreamingRecognizer r = limitedLeft.newRecognizer(
                DecodeOptions.builder().beam(10).endpointRules(NO_ENDPOINTS).build());
        List<AsrResult> results = feed(r, speech16k.samples(), 16000, 1600);
        assertEquals(
                ref.get("best_text").asText(), results.get(results.size() - 1).text());
    }

    static List<AsrResult> feed(StreamingRecognizer r, short[] pcm, int rate, int piece) {
        List<AsrResult> results = new ArrayList<>();
        for (int start = 0; start < pcm.length; start += piece) {
            results.addAll(r.acceptAudio(Arrays.copyOfRange(pcm, start, Math.min(pcm.length, start + piece)), rate));
        }
        results.addAll(r.finish());
        return results;
    }

    /** A final's n-best as "text score" lines, best first. */
    static List<String> nbestLines(AsrResult result) {
        return result.nbest().stream().map(h -> h.text() + " " + h.finalScore()).toList();
    }

    static List<String> texts(List<AsrResult> results) {
        return results.stream()
                .map(x ->
                        (x.isFinal() ? "F" : "P") + x.segment() + ":" + x.text() + "@" + x.startMs() + "-" + x.endMs())
                .toList();
    }

    static void assertWordsOrderedWithin(List<TimedWord> words, long fromMs, long toMs) {
        long previous = fromMs;
        for (TimedWord w : words) {
            assertTrue(
                    w.startMs() >= previous && w.startMs() <= w.endMs() && w.endMs() <= toMs,
                    "word " + w + " not within [" + previous + ", " + toMs + "]");
            assertTrue(w.confidence() >= 0 && w.confidence() <= 1);
            previous = w.startMs();
        }
    }

    static short[] concat(short[] a, short[] b) {
        short[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
