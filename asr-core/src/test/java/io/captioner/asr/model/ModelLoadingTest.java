package io.captioner.asr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.testing.Fixtures;
import io.captioner.asr.testing.OnnxMetadataEditor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {
    @TempDir
    Path tmp;

    @Test
    void cudaThatCannotRunFallsBackToTheCpuAndSaysWhy() throws Exception {
        Path export = Fixtures.export("dense", "16_-1");
        try (WenetOnnxModel cpu = WenetOnnxModel.load(export, 1, ExecutionProvider.CPU);
                WenetOnnxModel auto = WenetOnnxModel.load(export, 1, ExecutionProvider.AUTO);
                WenetOnnxModel cuda = WenetOnnxModel.load(export, 1, ExecutionProvider.CUDA)) {
            assertEquals("CPU", cpu.executionProvider());
            // the test class path has the CPU build of ONNX Runtime (the cuda profile swaps in the GPU one)
            assertEquals("CPU", auto.executionProvider());
            assertTrue(
                    cuda.executionProvider()
                            .startsWith("CPU (CUDA was asked for, but this ONNX Runtime build has" + " none"),
                    cuda.executionProvider());
            EncoderState state = cuda.newEncoderState(16, -1);
            float[] chunk = new float[67 * 80];
            assertEquals(16, cuda.forward(chunk, 67, state).frames(), "it decodes on the CPU");
        }
    }

    @Test
    void readsMetadataAndGraphKindOfEachExport() throws Exception {
        try (WenetOnnxModel m = WenetOnnxModel.load(Fixtures.export("dense", "16_4"), 1)) {
            ModelMetadata meta = m.metadata();
            assertEquals(16000, meta.sampleRate(), "absent sample_rate defaults to 16000");
            assertEquals(16, meta.chunkSize());
            assertEquals(4, meta.leftChunks());
            assertEquals(4, meta.subsamplingRate());
            assertEquals(6, meta.rightContext());
            assertEquals(64, meta.outputSize());
            assertEquals(2, meta.numBlocks());
            assertEquals(4, meta.head());
            assertEquals(8, meta.cnnModuleKernel());
            assertEquals(2, meta.sos());
            assertEquals(2, meta.eos());
            assertEquals(31, meta.vocabSize());
            assertEquals(0.3, meta.reverseWeight(), 1e-9);
            assertTrue(meta.bidirectionalDecoder());
            assertEquals(Optional.empty(), meta.numExperts());
            assertTrue(m.limitedLeftContextGraph());
            assertTrue(m.hasReverseDecoder());
            assertEquals(31, m.units().size());
        }
        try (WenetOnnxModel m = WenetOnnxModel.load(Fixtures.export("dense", "16_-1_rw0"), 1)) {
            assertFalse(m.limitedLeftContextGraph());
            assertFalse(m.hasReverseDecoder(), "r_score is a scalar in a reverse_weight 0 export");
        }
        try (WenetOnnxModel m = WenetOnnxModel.load(Fixtures.export("moe", "full"), 1)) {
            assertEquals(-1, m.metadata().chunkSize());
            assertFalse(m.metadata().streaming());
        }
    }

    @Test
    void optionalMetadataOfOurOwnExportsIsRead() throws Exception {
        Path dir = copy("moe", "16_-1");
        OnnxMetadataEditor.edit(dir.resolve("encoder.onnx"), meta -> {
            meta.put("sample_rate", "8000");
            meta.put("model_name", "u2pp-moe-telephony");
            meta.put("model_version", "0.1.0");
            meta.put("num_experts", "4");
            meta.put("moe_top_k", "2");
            meta.put("feature_mean", String.join(",", java.util.Collections.nCopies(80, "7.5")));
        });
        try (WenetOnnxModel m = WenetOnnxModel.load(dir, 1)) {
            ModelMetadata meta = m.metadata();
            assertEquals(8000, meta.sampleRate());
            assertEquals(Optional.of("u2pp-moe-telephony"), meta.modelName());
            assertEquals(Optional.of("0.1.0"), meta.modelVersion());
            assertEquals(Optional.of(4), meta.numExperts());
            assertEquals(Optional.of(2), meta.moeTopK());
            assertEquals(80, meta.featureMean().orElseThrow().length);
            assertEquals(7.5f, meta.featureMean().orElseThrow()[79]);
            assertTrue(meta.describe().contains("MoE 4 experts top-2"), meta.describe());
        }
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        for (String name : List.of("encoder.onnx", "ctc.onnx", "decoder.onnx", "units.txt")) {
            Path dir = copy("dense", "16_-1");
            Files.delete(dir.resolve(name));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir, 1));
            assertTrue(e.getMessage().startsWith(dir.resolve(name) + ": missing"), e.getMessage());
        }
        Path nowhere = tmp.resolve("no-such-model");
        assertTrue(assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(nowhere, 1))
                .getMessage()
                .contains("does not exist"));
    }

    @Test
    void corruptOnnxIsNamed() throws Exception {
        Path dir = copy("dense", "16_-1");
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        Files.write(dir.resolve("ctc.onnx"), garbage);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir, 1));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("ctc.onnx") + ": ONNX Runtime cannot load it"), e.getMessage());
        // a truncated graph (a download cut short) likewise
        Path dir2 = copy("dense", "16_-1");
        byte[] encoder = Files.readAllBytes(dir2.resolve("encoder.onnx"));
        Files.write(dir2.resolve("encoder.onnx"), java.util.Arrays.copyOf(encoder, encoder.length / 2));
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir2, 1));
        assertTrue(
                e2.getMessage().startsWith(dir2.resolve("encoder.onnx") + ": ONNX Runtime cannot load it"),
                e2.getMessage());
    }

    @Test
    void unitsThatDoNotMatchTheVocabularyAreRejected() throws Exception {
        Path dir = copy("dense", "16_-1");
        List<String> lines = Files.readAllLines(dir.resolve("units.txt"));
        Files.write(dir.resolve("units.txt"), lines.subList(0, lines.size() - 1));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir, 1));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("units.txt") + ": has 30 units but the model's vocab_size"),
                e.getMessage());
        Files.write(dir.resolve("units.txt"), List.of("<blank> 0", "<unk> 1", "oops"));
        ModelLoadException malformed = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir, 1));
        assertTrue(malformed.getMessage().contains("units.txt"), malformed.getMessage());
    }

    @Test
    void metadataContradictingTheGraphIsRejected() throws Exception {
        assertRejected(
                meta -> meta.put("num_blocks", "3"), "encoder.onnx: metadata contradicts the graph: 'att_cache'");
        assertRejected(meta -> meta.put("output_size", "128"), "encoder.onnx: metadata contradicts the graph");
        assertRejected(meta -> meta.put("cnn_module_kernel", "15"), "'cnn_cache' has shape [2, 1, 64, 7]");
        assertRejected(meta -> meta.put("left_chunks", "4"), "metadata left_chunks 4 contradicts the graph");
        assertRejected(meta -> meta.put("vocab_size", "5000"), "ctc.onnx: metadata contradicts the graph: 'probs'");
        assertRejected(meta -> meta.remove("output_size"), "metadata key 'output_size' is missing");
        assertRejected(meta -> meta.put("head", "four"), "metadata 'head' = 'four' is not an integer");
        assertRejected(meta -> meta.put("subsampling_rate", "5"), "subsampling_rate 5 is not one of 4, 6, 8");
        assertRejected(meta -> meta.put("feature_mean", "1,2,3"), "feature_mean has 3 values, feature_size is 80");
        assertRejected(meta -> meta.put("feature_mean", "1,x"), "'feature_mean' is not a comma-separated list");
        assertRejected(
                meta -> meta.put("feature_mean_speech", "1,2"), "feature_mean_speech has 2 values, feature_size is 80");
    }

    private void assertRejected(Consumer<Map<String, String>> change, String expected) throws Exception {
        Path dir = copy("dense", "16_-1");
        OnnxMetadataEditor.edit(dir.resolve("encoder.onnx"), change);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> WenetOnnxModel.load(dir, 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
    }

    private Path copy(String family, String mode) throws Exception {
        Path dir = Files.createTempDirectory(tmp, family + "-" + mode);
        try (var files = Files.list(Fixtures.export(family, mode))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith("ref"))
                    .toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
                dir.resolve(f.getFileName()).toFile().setWritable(true);
            }
        }
        return dir;
    }
}
