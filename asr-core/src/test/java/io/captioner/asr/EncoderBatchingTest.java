package io.captioner.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.audio.WavReader;
import io.captioner.asr.model.EncoderBatcher;
import io.captioner.asr.model.ModelLoadException;
import io.captioner.asr.testing.Fixtures;
import io.captioner.asr.testing.OnnxMetadataEditor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams whose chunks run in batches across streams decode exactly as streams that run alone. */
class EncoderBatchingTest {
    static final Path SHIPPED =
            Path.of("").toAbsolutePath().getParent().resolve("models").resolve("u2pp-moe-telephony");
    static final int STREAMS = 6;

    static List<short[]> calls;

    /** Each stream: its own lead-in of silence, the contract sentence, a pause (an endpoint), the sentence again. */
    @BeforeAll
    static void audio() throws Exception {
        short[] speech = WavReader.read(SHIPPED.resolve("contract").resolve("speech_8k.wav"))
                .samples();
        calls = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            short[] lead = new short[2400 * i + 800];
            short[] pause = new short[8000 * 2];
            calls.add(StreamingRecognizerTest.concat(
                    StreamingRecognizerTest.concat(lead, speech), StreamingRecognizerTest.concat(pause, speech)));
        }
    }

    @Test
    void batchedStreamsGiveTheTextsAndScoresOfStreamsDecodedAlone() throws Exception {
        List<List<AsrResult>> alone = new ArrayList<>();
        try (AsrModel model = AsrModel.load(SHIPPED)) {
            for (short[] call : calls) {
                alone.add(
                        StreamingRecognizerTest.feed(model.newRecognizer(DecodeOptions.defaults()), call, 8000, 1600));
            }
        }
        List<List<AsrResult>> batched = new ArrayList<>();
        EncoderBatcher batcher;
        try (AsrModel model = AsrModel.load(SHIPPED)) {
            assertTrue(model.startBatching(STREAMS, Duration.ofMillis(20), 1));
            batcher = model.batcher().orElseThrow();
            ExecutorService legs = Executors.newFixedThreadPool(STREAMS);
            List<Future<List<AsrResult>>> running = new ArrayList<>();
            for (short[] call : calls) {
                StreamingRecognizer r = model.newRecognizer(DecodeOptions.defaults());
                running.add(legs.submit(() -> StreamingRecognizerTest.feed(r, call, 8000, 1600)));
            }
            for (Future<List<AsrResult>> f : running) {
                batched.add(f.get());
            }
            legs.shutdown();
        }
        assertTrue(
                batcher.chunks() > batcher.runs(),
                "chunks ran in batches: " + batcher.chunks() + " chunks in " + batcher.runs() + " runs");
        for (int i = 0; i < STREAMS; i++) {
            List<AsrResult> want = alone.get(i);
            List<AsrResult> got = batched.get(i);
            assertEquals(StreamingRecognizerTest.texts(want), StreamingRecognizerTest.texts(got), "stream " + i);
            assertEquals(2, want.stream().filter(AsrResult::isFinal).count(), "stream " + i + ": two utterances");
            for (int j = 0; j < want.size(); j++) {
                assertEquals(want.get(j).confidence(), got.get(j).confidence(), 1e-4, "stream " + i + " result " + j);
                for (int k = 0; k < want.get(j).nbest().size(); k++) {
                    assertEquals(
                            want.get(j).nbest().get(k).finalScore(),
                            got.get(j).nbest().get(k).finalScore(),
                            1e-3,
                            "stream " + i + " result " + j + " hypothesis " + k);
                }
            }
        }
    }

    @Test
    void anExportWithoutABatchedEncoderDecodesUnbatched() throws Exception {
        try (AsrModel model = AsrModel.load(Fixtures.export("moe", "16_-1"))) {
            assertFalse(model.startBatching(8, Duration.ofMillis(5), 2));
            assertTrue(model.batcher().isEmpty());
            List<AsrResult> results = StreamingRecognizerTest.feed(
                    model.newRecognizer(DecodeOptions.defaults()), calls.get(0), 8000, 1600);
            assertTrue(results.get(results.size() - 1).isFinal());
        }
    }

    @Test
    void aBatchedEncoderExportedForAnotherEncoderIsRefused(@TempDir Path dir) throws Exception {
        try (var files = Files.list(SHIPPED)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        OnnxMetadataEditor.edit(dir.resolve("encoder.onnx"), meta -> meta.put("model_version", "edited"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> AsrModel.load(dir));
        assertTrue(
                e.getMessage().contains("encoder_batch.onnx") && e.getMessage().contains("another encoder.onnx"),
                e.getMessage());
    }
}
