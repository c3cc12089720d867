package io.captioner.asr.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code encoder_batch.onnx}, which the recipe's exporter writes beside {@code encoder.onnx}: one streaming
 * step of many streams in one run, each with all its history. Batch-first caches, each stream's frames at the
 * end of the longest cache's slots and a {@code cache_mask} over the slots that hold none; the CTC head is in
 * the graph. Its weights are references into {@code encoder.onnx}'s bytes, so the graph is refused unless
 * that file's SHA-256 is the one it was exported against. Thread-safe, like the other sessions.
 */
final class BatchEncoderGraph implements AutoCloseable {
    static final String FILE = "encoder_batch.onnx";
    private static final List<String> INPUTS = List.of("chunk", "offset", "att_cache", "cnn_cache", "cache_mask");
    private static final List<String> OUTPUTS = List.of("output", "ctc_log_probs", "r_att_cache", "r_cnn_cache");

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelMetadata meta;
    private final RunStats stats;

    private BatchEncoderGraph(OrtEnvironment env, OrtSession session, ModelMetadata meta, RunStats stats) {
        this.env = env;
        this.session = session;
        this.meta = meta;
        this.stats = stats;
    }

    /** The directory's batched encoder, or null when it has none (WeNet's own exports). */
    static BatchEncoderGraph loadIfPresent(
            Path directory, OrtEnvironment env, ModelMetadata meta, RunStats stats, SessionOpener sessions)
            throws ModelLoadException {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        OrtSession session = sessions.open(file);
        try {
            check(session, file, directory.resolve(WenetOnnxModel.ENCODER_FILE));
            return new BatchEncoderGraph(env, session, meta, stats);
        } catch (ModelLoadException e) {
            WenetOnnxModel.closeQuietly(session);
            throw e;
        } catch (OrtException e) {
            WenetOnnxModel.closeQuietly(session);
            throw new ModelLoadException(file + ": cannot read its inputs and metadata: " + e.getMessage(), e);
        }
    }

    private static void check(OrtSession session, Path file, Path encoder) throws OrtException, ModelLoadException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!inputs.keySet().containsAll(INPUTS) || !outputs.keySet().containsAll(OUTPUTS)) {
            throw new ModelLoadException(file + ": a batched encoder takes " + INPUTS + " and gives " + OUTPUTS
                    + ", this graph takes " + inputs.keySet() + " and gives " + outputs.keySet());
        }
        String expected = session.getMetadata().getCustomMetadata().get("weights_sha256");
        String actual = sha256(encoder);
        if (!actual.equals(expected)) {
            throw new ModelLoadException(file + ": was exported against another " + encoder.getFileName()
                    + " (its weights_sha256 is " + expected + ", the file's SHA-256 is " + actual + "); write it"
                    + " again for this encoder (python3 -m captrain.export --update DIR) or remove it");
        }
    }

    private static String sha256(Path file) throws ModelLoadException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 16];
            for (int n = in.read(block); n >= 0; n = in.read(block)) {
                digest.update(block, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelLoadException(file + ": cannot read it to check the batched encoder: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code features.get(i)} ({@code frames} rows) of every stream with {@code states.get(i)}, and
     * updates each state as {@link WenetOnnxModel#forward} would.
     */
    List<EncoderOutput> forward(List<float[]> features, int frames, List<EncoderState> states) throws OrtException {
        int batch = states.size();
        int feat = meta.featureSize();
        int dim = meta.outputSize();
        int layersHeads = meta.numBlocks() * meta.head();
        int kv = meta.attentionKeyValueSize();
        int cnnLength = meta.numBlocks() * dim * (meta.cnnModuleKernel() - 1);
        int slots = 0;
        for (EncoderState state : states) {
            slots = Math.max(slots, state.attCacheFrames());
        }
        float[] chunk = new float[batch * frames * feat];
        long[] offsets = new long[batch];
        float[] attCache = new float[batch * layersHeads * slots * kv];
        float[] cnnCache = new float[batch * cnnLength];
        boolean[] cacheMask = new boolean[batch * slots];
        for (int i = 0; i < batch; i++) {
            EncoderState state = states.get(i);
            System.arraycopy(features.get(i), 0, chunk, i * frames * feat, frames * feat);
            offsets[i] = state.offset();
            int cached = state.attCacheFrames();
            for (int lh = 0; lh < layersHeads; lh++) {
                System.arraycopy(
                        state.attCache(),
                        lh * cached * kv,
                        attCache,
                        ((i * layersHeads + lh) * slots + slots - cached) * kv,
                        cached * kv);
            }
            Arrays.fill(cacheMask, i * slots + slots - cached, (i + 1) * slots, true);
            System.arraycopy(state.cnnCache(), 0, cnnCache, i * cnnLength, cnnLength);
        }
        try (Inputs in = new Inputs(env)) {
            in.floats("chunk", chunk, chunk.length, batch, frames, feat);
            in.longs("offset", offsets, batch);
            in.floats("att_cache", attCache, attCache.length, batch, meta.numBlocks(), meta.head(), slots, kv);
            in.floats("cnn_cache", cnnCache, cnnCache.length, batch, meta.numBlocks(), dim, meta.cnnModuleKernel() - 1);
            in.bools("cache_mask", cacheMask, batch, slots);
            long start = System.nanoTime();
            try (OrtSession.Result out = session.run(in.map())) {
                stats.encoder(System.nanoTime() - start);
                OnnxTensor output = WenetOnnxModel.tensor(out, "output");
                int outFrames = (int) output.getInfo().getShape()[1];
                float[] hidden = WenetOnnxModel.floats(output);
                float[] logProbs = WenetOnnxModel.floats(WenetOnnxModel.tensor(out, "ctc_log_probs"));
                float[] newAtt = WenetOnnxModel.floats(WenetOnnxModel.tensor(out, "r_att_cache"));
                float[] newCnn = WenetOnnxModel.floats(WenetOnnxModel.tensor(out, "r_cnn_cache"));
                int vocab = meta.vocabSize();
                int newSlots = slots + outFrames;
                List<EncoderOutput> results = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    EncoderState state = states.get(i);
                    int kept = state.attCacheFrames() + outFrames;
                    float[] cache = new float[layersHeads * kept * kv];
                    for (int lh = 0; lh < layersHeads; lh++) {
                        System.arraycopy(
                                newAtt,
                                ((i * layersHeads + lh) * newSlots + newSlots - kept) * kv,
                                cache,
                                lh * kept * kv,
                                kept * kv);
                    }
                    state.update(
                            cache, kept, Arrays.copyOfRange(newCnn, i * cnnLength, (i + 1) * cnnLength), outFrames);
                    float[][] rows = WenetOnnxModel.rows(logProbs, i * outFrames, outFrames, vocab);
                    float[] own = Arrays.copyOfRange(hidden, i * outFrames * dim, (i + 1) * outFrames * dim);
                    results.add(new EncoderOutput(own, outFrames, dim, rows));
                }
                return results;
            }
        }
    }

    @Override
    public void close() {
        WenetOnnxModel.closeQuietly(session);
    }
}
