package io.captioner.asr.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captioner.asr.model.ChunkScheduler;
import io.captioner.asr.model.DecoderScores;
import io.captioner.asr.model.EncoderOutput;
import io.captioner.asr.model.EncoderState;
import io.captioner.asr.model.ModelMetadata;
import io.captioner.asr.model.WenetOnnxModel;
import io.captioner.asr.search.AttentionRescoring;
import io.captioner.asr.search.CtcPrefixBeamSearch;
import io.captioner.asr.search.Hypothesis;
import io.captioner.asr.search.SearchOptions;
import io.captioner.asr.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every export that comes with a WeNet reference (reference.json + ref_*.f32) through our
 * runtime and compares step by step: the chunk schedule, encoder output and CTC log-probabilities
 * (1e-4), the prefix beam search n-best (identical tokens, CTC scores 1e-3), decoder scores (1e-3)
 * and the rescored best text. The exports are every {@code export_*} folder under the shared WeNet
 * fixtures and every {@code models/<name>/contract/} folder of the repository (the model files
 * there, or in {@code models/<name>/} when the contract folder holds only the reference).
 */
class ExportConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> exports() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String family : List.of("dense", "moe")) {
            try (Stream<Path> s = Files.list(Fixtures.wenet().resolve(family))) {
                s.filter(p -> p.getFileName().toString().startsWith("export_"))
                        .sorted()
                        .forEach(dirs::add);
            }
        }
        Path repoModels = Path.of("").toAbsolutePath().getParent().resolve("models"); // tests run in asr-core/
        if (Files.isDirectory(repoModels)) {
            try (Stream<Path> s = Files.list(repoModels)) {
                s.map(p -> p.resolve("contract"))
                        .filter(p -> Files.isRegularFile(p.resolve("reference.json")))
                        .sorted()
                        .forEach(dirs::add);
            }
        }
        assertTrue(dirs.size() >= 7, "expected the 7 WeNet fixture exports, found " + dirs);
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void matchesWenetReference(Path exportDir) throws Exception {
        JsonNode ref = JSON.readTree(exportDir.resolve("reference.json").toFile());
        Path modelDir = Files.isRegularFile(exportDir.resolve("encoder.onnx")) ? exportDir : exportDir.getParent();
        try (WenetOnnxModel model = WenetOnnxModel.load(modelDir, 1)) {
            ModelMetadata meta = model.metadata();
            int featDim = ref.get("feat_dim").asInt();
            float[] feats = Fixtures.readFloats(
                    exportDir.resolve(ref.get("feats").asText()).normalize());
            int featFrames = ref.get("feat_frames").asInt();
            assertEquals(featFrames * featDim, feats.length);

            // 1. chunk schedule, encoder output, CTC log-probs
            ChunkScheduler scheduler = new ChunkScheduler(
                    meta.chunkSize(), meta.subsamplingRate(), meta.rightContext(), Integer.MAX_VALUE);
            float[][] rows = new float[featFrames][];
            for (int i = 0; i < featFrames; i++) {
                rows[i] = Arrays.copyOfRange(feats, i * featDim, (i + 1) * featDim);
            }
            scheduler.add(rows);
            EncoderState state = model.newEncoderState(meta.chunkSize(), meta.leftChunks());
            List<float[]> hidden = new ArrayList<>();
            List<float[]> logProbs = new ArrayList<>();
            JsonNode steps = ref.get("steps");
            int step = 0;
            for (ChunkScheduler.Chunk chunk; (chunk = nextChunk(scheduler)) != null; step++) {
                JsonNode expected = steps.get(step);
                assertTrue(expected != null, "more calls than the reference's " + steps.size());
                assertEquals(expected.get("in_frames").asInt(), chunk.frames(), "step " + step + " in_frames");
                assertEquals(expected.get("offset").asLong(), state.offset(), "step " + step + " offset");
                EncoderOutput out = model.forward(chunk.features(), chunk.frames(), state);
                assertEquals(expected.get("out_frames").asInt(), out.frames(), "step " + step + " out_frames");
                assertEquals(
                        expected.get("att_cache_frames").asInt(), state.attCacheFrames(), "step " + step + " cache");
                for (int t = 0; t < out.frames(); t++) {
                    hidden.add(Arrays.copyOfRange(out.hidden(), t * out.dim(), (t + 1) * out.dim()));
                    logProbs.add(out.ctcLogProbs()[t]);
                }
            }
            assertEquals(steps.size(), step, "number of encoder calls");
            int frames = ref.get("encoder_frames").asInt();
            assertEquals(frames, hidden.size());
            assertClose(
                    Fixtures.readFloats(exportDir.resolve("ref_encoder_out.f32")),
                    flatten(hidden),
                    1e-4,
                    "encoder output");
            assertClose(
                    Fixtures.readFloats(exportDir.resolve("ref_ctc_logprobs.f32")),
                    flatten(logProbs),
                    1e-4,
                    "CTC log-probs");

            // 2. prefix beam search n-best over the whole utterance (from our own log-probs)
            CtcPrefixBeamSearch search =
                    new CtcPrefixBeamSearch(new SearchOptions(ref.get("beam").asInt(), 10));
            search.advance(logProbs.toArray(new float[0][]));
            List<Hypothesis> nbest = search.finalNbest();
            JsonNode refNbest = ref.get("prefix_beam_nbest");
            assertEquals(refNbest.size(), nbest.size(), "n-best size");
            List<int[]> tokens = new ArrayList<>();
            double[] ctcScores = new double[nbest.size()];
            for (int i = 0; i < nbest.size(); i++) {
                JsonNode r = refNbest.get(i);
                assertArrayEquals(ints(r.get("tokens")), nbest.get(i).tokens(), "n-best " + i + " tokens");
                assertEquals(
                        r.get("ctc_score").asDouble(), nbest.get(i).ctcScore(), 1e-3, "n-best " + i + " ctc score");
                assertEquals(
                        r.get("text").asText(),
                        model.units().detokenize(nbest.get(i).tokens()),
                        "n-best " + i + " text");
                tokens.add(nbest.get(i).tokens());
                ctcScores[i] = nbest.get(i).ctcScore();
            }

            // 3. attention rescoring over all encoder frames
            DecoderScores scores = model.decode(tokens, flatten(hidden), frames);
            double rw = ref.get("reverse_weight").asDouble();
            assertEquals(rw, meta.reverseWeight(), 1e-9);
            if (rw == 0) {
                assertNull(scores.r2l(), "reverse weight 0 export: r_score is a scalar, no R2L");
            }
            List<AttentionRescoring.Score> combined = AttentionRescoring.score(
                    tokens,
                    scores.l2r(),
                    scores.r2l(),
                    ctcScores,
                    meta.eos(),
                    new AttentionRescoring.Weights(rw, ref.get("ctc_weight").asDouble(), 1.0));
            for (int i = 0; i < combined.size(); i++) {
                JsonNode r = refNbest.get(i);
                AttentionRescoring.Score s = combined.get(i);
                assertEquals(r.get("l2r").asDouble(), s.l2r(), 1e-3, "hyp " + i + " l2r");
                if (!r.get("r2l").isNull()) {
                    assertEquals(r.get("r2l").asDouble(), s.r2l(), 1e-3, "hyp " + i + " r2l");
                }
                assertEquals(r.get("rescoring").asDouble(), s.rescoring(), 1e-3, "hyp " + i + " rescoring");
                assertEquals(r.get("final").asDouble(), s.total(), 1e-3, "hyp " + i + " final");
            }
            int best = AttentionRescoring.bestIndex(combined);
            assertArrayEquals(ints(ref.get("best_tokens")), tokens.get(best), "best tokens");
            assertEquals(ref.get("best_text").asText(), model.units().detokenize(tokens.get(best)), "best text");
            assertFalse(ref.get("best_text").asText().isEmpty());
        }
    }

    private static ChunkScheduler.Chunk nextChunk(ChunkScheduler scheduler) {
        ChunkScheduler.Chunk chunk = scheduler.next(false);
        return chunk != null ? chunk : scheduler.next(true);
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= tolerance, what + ": max abs difference " + worst + " at " + at);
    }

    static float[] flatten(List<float[]> rows) {
        int dim = rows.isEmpty() ? 0 : rows.get(0).length;
        float[] out = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * dim, dim);
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
