package io.captioner.asr.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.captioner.asr.search.SymbolTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The three graphs of a WeNet ONNX export ({@code encoder.onnx}, {@code ctc.onnx},
 * {@code decoder.onnx}) plus {@code units.txt}, loaded once into one shared {@link OrtEnvironment}
 * and checked against each other. Thread-safe: the sessions are shared by all streams; per-stream
 * state lives in {@link EncoderState}. Inputs are fed by name, only those the graph declares.
 * Every tensor of a run is closed before the call returns.
 */
public final class WenetOnnxModel implements AutoCloseable {
    public static final String ENCODER_FILE = "encoder.onnx";
    public static final String CTC_FILE = "ctc.onnx";
    public static final String DECODER_FILE = "decoder.onnx";
    public static final String UNITS_FILE = "units.txt";

    private final Path directory;
    private final OrtEnvironment env;
    private final OrtSession encoder;
    private final OrtSession ctc;
    private final OrtSession decoder;
    private final ModelMetadata metadata;
    private final SymbolTable units;
    private final boolean limitedLeftContextGraph;
    private final boolean reverseDecoder;
    private final RunStats stats;
    private final BatchEncoderGraph batchEncoder;
    private final String executionProvider;

    private WenetOnnxModel(
            Path directory,
            OrtEnvironment env,
            OrtSession encoder,
            OrtSession ctc,
            OrtSession decoder,
            ModelMetadata metadata,
            SymbolTable units,
            boolean limitedLeftContextGraph,
            boolean reverseDecoder,
            RunStats stats,
            BatchEncoderGraph batchEncoder,
            String executionProvider) {
        this.directory = directory;
        this.env = env;
        this.encoder = encoder;
        this.ctc = ctc;
        this.decoder = decoder;
        this.metadata = metadata;
        this.units = units;
        this.limitedLeftContextGraph = limitedLeftContextGraph;
        this.reverseDecoder = reverseDecoder;
        this.stats = stats;
        this.batchEncoder = batchEncoder;
        this.executionProvider = executionProvider;
    }

    /** {@link #load(Path, int, ExecutionProvider)} on CUDA where it can run, else the CPU. */
    public static WenetOnnxModel load(Path directory, int intraOpThreads) throws ModelLoadException {
        return load(directory, intraOpThreads, ExecutionProvider.AUTO);
    }

    /**
     * Loads and validates an export directory.
     * @param intraOpThreads ONNX Runtime threads per run (1 suits many concurrent streams)
     * @param provider where the sessions run; CUDA that cannot run falls back to the CPU
     *     ({@link #executionProvider()} says which, and why)
     * @throws ModelLoadException naming the file and what is wrong
     */
    public static WenetOnnxModel load(Path directory, int intraOpThreads, ExecutionProvider provider)
            throws ModelLoadException {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException(directory + ": model directory does not exist");
        }
        for (String name : List.of(ENCODER_FILE, CTC_FILE, DECODER_FILE, UNITS_FILE)) {
            if (!Files.isRegularFile(directory.resolve(name))) {
                throw new ModelLoadException(directory.resolve(name) + ": missing (a WeNet export needs " + ENCODER_FILE
                        + ", " + CTC_FILE + ", " + DECODER_FILE + " and " + UNITS_FILE + ")");
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession encoder = null;
        OrtSession ctc = null;
        OrtSession decoder = null;
        SessionOpener sessions = new SessionOpener(env, intraOpThreads, provider);
        try {
            encoder = sessions.open(directory.resolve(ENCODER_FILE));
            ctc = sessions.open(directory.resolve(CTC_FILE));
            decoder = sessions.open(directory.resolve(DECODER_FILE));
            String encoderName = directory.resolve(ENCODER_FILE).toString();
            ModelMetadata meta = ModelMetadata.parse(encoder.getMetadata().getCustomMetadata(), encoderName);
            GraphCheck check = new GraphCheck(meta);
            boolean limited = check.encoder(encoder, encoderName);
            check.ctc(ctc, directory.resolve(CTC_FILE).toString());
            boolean reverse =
                    check.decoder(decoder, directory.resolve(DECODER_FILE).toString());
            SymbolTable units = loadUnits(directory.resolve(UNITS_FILE), meta);
            RunStats stats = new RunStats();
            BatchEncoderGraph batchEncoder =
                    limited ? null : BatchEncoderGraph.loadIfPresent(directory, env, meta, stats, sessions);
            return new WenetOnnxModel(
                    directory,
                    env,
                    encoder,
                    ctc,
                    decoder,
                    meta,
                    units,
                    limited,
                    reverse,
                    stats,
                    batchEncoder,
                    sessions.provider());
        } catch (ModelLoadException e) {
            closeQuietly(encoder, ctc, decoder);
            throw e;
        } catch (OrtException e) {
            closeQuietly(encoder, ctc, decoder);
            throw new ModelLoadException(directory + ": cannot read the model's metadata: " + e.getMessage(), e);
        }
    }

    /** Where this model's sessions run: "CUDA", or "CPU" with the reason where CUDA was asked for and could not run. */
    public String executionProvider() {
        return executionProvider;
    }

    private static SymbolTable loadUnits(Path file, ModelMetadata meta) throws ModelLoadException {
        SymbolTable units;
        try {
            units = SymbolTable.load(file, meta.sos(), meta.eos());
        } catch (IOException | IllegalArgumentException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ModelLoadException(message.startsWith(file.toString()) ? message : file + ": " + message, e);
        }
        if (units.size() != meta.vocabSize()) {
            throw new ModelLoadException(file + ": has " + units.size() + " units but the model's vocab_size (and CTC "
                    + "output) is " + meta.vocabSize() + "; the units file does not belong to this model");
        }
        return units;
    }

    public Path directory() {
        return directory;
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public SymbolTable units() {
        return units;
    }

    public RunStats stats() {
        return stats;
    }

    /** Whether the encoder takes {@code required_cache_size} and {@code att_mask} (a 16/4-style export). */
    public boolean limitedLeftContextGraph() {
        return limitedLeftContextGraph;
    }

    /** Whether the decoder has a right-to-left output ({@code r_score} of rank 3). */
    public boolean hasReverseDecoder() {
        return reverseDecoder;
    }

    /** Whether the directory has a batched streaming encoder ({@code encoder_batch.onnx}) for {@link #forwardBatch}. */
    public boolean canBatch() {
        return batchEncoder != null;
    }

    /** Input tensors created by this class and not yet closed, process-wide (for leak tests). */
    public static long liveInputTensors() {
        return Inputs.live();
    }

    public EncoderState newEncoderState(int chunkSize, int leftChunks) {
        return new EncoderState(metadata, chunkSize, leftChunks);
    }

    /**
     * Runs the encoder on one chunk of features ([frames, feature_size] row-major) with the stream's
     * caches, updates them, and runs the CTC head on the output.
     */
    public EncoderOutput forward(float[] features, int frames, EncoderState state) throws OrtException {
        int dim = metadata.outputSize();
        float[] hidden;
        int outFrames;
        try (Inputs in = new Inputs(env)) {
            int kv = metadata.attentionKeyValueSize();
            in.floats("chunk", features, frames * metadata.featureSize(), 1, frames, metadata.featureSize());
            in.scalar("offset", state.offset());
            in.floats(
                    "att_cache",
                    state.attCache(),
                    state.attCache().length,
                    metadata.numBlocks(),
                    metadata.head(),
                    state.attCacheFrames(),
                    kv);
            in.floats(
                    "cnn_cache",
                    state.cnnCache(),
                    state.cnnCache().length,
                    metadata.numBlocks(),
                    1,
                    dim,
                    metadata.cnnModuleKernel() - 1);
            if (limitedLeftContextGraph) {
                in.scalar("required_cache_size", state.requiredCacheSize());
                boolean[] mask = state.attentionMask();
                in.bools("att_mask", mask, 1, 1, mask.length);
            }
            long start = System.nanoTime();
            try (OrtSession.Result out = encoder.run(in.map())) {
                stats.encoder(System.nanoTime() - start);
                OnnxTensor output = tensor(out, "output");
                outFrames = (int) output.getInfo().getShape()[1];
                hidden = floats(output);
                OnnxTensor attCache = tensor(out, "r_att_cache");
                int cacheFrames = (int) attCache.getInfo().getShape()[2];
                state.update(floats(attCache), cacheFrames, floats(tensor(out, "r_cnn_cache")), outFrames);
            }
        }
        return new EncoderOutput(hidden, outFrames, dim, ctcLogProbs(hidden, outFrames));
    }

    /**
     * {@link #forward} for several streams in one run of the batched encoder: {@code features.get(i)} (of
     * {@code frames} rows each) with {@code states.get(i)}, which are updated.
     * @throws IllegalStateException when the directory has no batched encoder ({@link #canBatch()})
     */
    public List<EncoderOutput> forwardBatch(List<float[]> features, int frames, List<EncoderState> states)
            throws OrtException {
        if (batchEncoder == null) {
            throw new IllegalStateException(directory + " has no " + BatchEncoderGraph.FILE);
        }
        return batchEncoder.forward(features, frames, states);
    }

    /** CTC log-probabilities [frames][vocab] of encoder output [frames, dim]. */
    public float[][] ctcLogProbs(float[] hidden, int frames) throws OrtException {
        int vocab = metadata.vocabSize();
        try (Inputs in = new Inputs(env)) {
            in.floats("hidden", hidden, frames * metadata.outputSize(), 1, frames, metadata.outputSize());
            long start = System.nanoTime();
            try (OrtSession.Result out = ctc.run(in.map())) {
                stats.ctc(System.nanoTime() - start);
                return rows(floats(tensor(out, "probs")), 0, frames, vocab);
            }
        }
    }

    /**
     * Scores hypotheses (token ids without sos/eos) with the attention decoder over all encoder
     * frames of the utterance ([frames, dim] row-major).
     */
    public DecoderScores decode(List<int[]> hypotheses, float[] encoderOut, int frames) throws OrtException {
        int n = hypotheses.size();
        int maxLen = 1;
        for (int[] h : hypotheses) {
            maxLen = Math.max(maxLen, h.length + 1);
        }
        long[] hyps = new long[n * maxLen];
        long[] lens = new long[n];
        for (int i = 0; i < n; i++) {
            int[] h = hypotheses.get(i);
            hyps[i * maxLen] = metadata.sos();
            for (int j = 0; j < h.length; j++) {
                hyps[i * maxLen + 1 + j] = h[j];
            }
            lens[i] = h.length + 1;
        }
        try (Inputs in = new Inputs(env)) {
            in.longs("hyps", hyps, n, maxLen);
            in.longs("hyps_lens", lens, n);
            in.floats("encoder_out", encoderOut, frames * metadata.outputSize(), 1, frames, metadata.outputSize());
            long start = System.nanoTime();
            try (OrtSession.Result out = decoder.run(in.map())) {
                stats.decoder(System.nanoTime() - start);
                float[][][] l2r = scores(tensor(out, "score"));
                OnnxTensor reverse = tensor(out, "r_score");
                float[][][] r2l = reverse.getInfo().getShape().length == 3 ? scores(reverse) : null;
                return new DecoderScores(l2r, r2l);
            }
        }
    }

    private static float[][][] scores(OnnxTensor t) throws OrtException {
        long[] shape = t.getInfo().getShape();
        int n = (int) shape[0];
        int len = (int) shape[1];
        int vocab = (int) shape[2];
        float[] flat = floats(t);
        float[][][] out = new float[n][len][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                int from = (i * len + j) * vocab;
                out[i][j] = Arrays.copyOfRange(flat, from, from + vocab);
            }
        }
        return out;
    }

    /** {@code count} rows of {@code width} values of a row-major array, from row {@code first} on. */
    static float[][] rows(float[] flat, int first, int count, int width) {
        float[][] rows = new float[count][];
        for (int t = 0; t < count; t++) {
            int from = (first + t) * width;
            rows[t] = Arrays.copyOfRange(flat, from, from + width);
        }
        return rows;
    }

    static OnnxTensor tensor(OrtSession.Result result, String name) throws OrtException {
        OnnxValue v = result.get(name).orElseThrow(() -> new OrtException("graph produced no output '" + name + "'"));
        return (OnnxTensor) v;
    }

    static float[] floats(OnnxTensor t) {
        java.nio.FloatBuffer buffer = t.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return data;
    }

    @Override
    public void close() {
        closeQuietly(encoder, ctc, decoder);
        if (batchEncoder != null) {
            batchEncoder.close();
        }
    }

    static void closeQuietly(OrtSession... sessions) {
        for (OrtSession s : sessions) {
            if (s != null) {
                try {
                    s.close();
                } catch (OrtException ignored) {
                    // closing a session only fails if it was already closed
                }
            }
        }
    }

    /** Checks the graphs' declared inputs and outputs against the metadata. */
    private record GraphCheck(ModelMetadata meta) {
        /** @return whether the encoder is a limited-left-context graph */
        boolean encoder(OrtSession session, String file) throws OrtException, ModelLoadException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (String name : List.of("chunk", "offset", "att_cache", "cnn_cache")) {
                requireInput(inputs, name, file);
            }
            expectShape(inputs, "chunk", file, -1, -1, meta.featureSize(), "feature_size");
            expectShape(
                    inputs,
                    "att_cache",
                    file,
                    meta.numBlocks(),
                    meta.head(),
                    -1,
                    meta.attentionKeyValueSize(),
                    "num_blocks, head, 2*output_size/head");
            expectShape(
                    inputs,
                    "cnn_cache",
                    file,
                    meta.numBlocks(),
                    -1,
                    meta.outputSize(),
                    meta.cnnModuleKernel() - 1,
                    "num_blocks, output_size, cnn_module_kernel-1");
            boolean hasMask = inputs.containsKey("att_mask");
            boolean hasRequired = inputs.containsKey("required_cache_size");
            if (hasMask != hasRequired) {
                throw new ModelLoadException(file + ": has " + (hasMask ? "att_mask" : "required_cache_size")
                        + " but not " + (hasMask ? "required_cache_size" : "att_mask"));
            }
            if (meta.leftChunks() > 0 && !hasMask) {
                throw new ModelLoadException(file + ": metadata left_chunks " + meta.leftChunks()
                        + " contradicts the graph, which has no att_mask/required_cache_size inputs");
            }
            if (meta.leftChunks() <= 0 && hasMask) {
                throw new ModelLoadException(file + ": metadata left_chunks " + meta.leftChunks()
                        + " contradicts the graph, which takes att_mask/required_cache_size (a limited-left export)");
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (String name : List.of("output", "r_att_cache", "r_cnn_cache")) {
                if (!outputs.containsKey(name)) {
                    throw new ModelLoadException(
                            file + ": has no output '" + name + "' (outputs: " + outputs.keySet() + ")");
                }
            }
            expectShape(outputs, "output", file, -1, -1, meta.outputSize(), "output_size");
            return hasMask;
        }

        void ctc(OrtSession session, String file) throws OrtException, ModelLoadException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            requireInput(inputs, "hidden", file);
            expectShape(inputs, "hidden", file, -1, -1, meta.outputSize(), "output_size");
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (!outputs.containsKey("probs")) {
                throw new ModelLoadException(file + ": has no output 'probs' (outputs: " + outputs.keySet() + ")");
            }
            expectShape(outputs, "probs", file, -1, -1, meta.vocabSize(), "vocab_size");
        }

        /** @return whether the decoder has a right-to-left output of rank 3 */
        boolean decoder(OrtSession session, String file) throws OrtException, ModelLoadException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (String name : List.of("hyps", "hyps_lens", "encoder_out")) {
                requireInput(inputs, name, file);
            }
            expectShape(inputs, "encoder_out", file, -1, -1, meta.outputSize(), "output_size");
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (!outputs.containsKey("score")) {
                throw new ModelLoadException(file + ": has no output 'score' (outputs: " + outputs.keySet() + ")");
            }
            expectShape(outputs, "score", file, -1, -1, meta.vocabSize(), "vocab_size");
            NodeInfo reverse = outputs.get("r_score");
            boolean hasReverse = reverse != null && ((TensorInfo) reverse.getInfo()).getShape().length == 3;
            if (hasReverse) {
                expectShape(outputs, "r_score", file, -1, -1, meta.vocabSize(), "vocab_size");
            }
            return hasReverse;
        }

        private static void requireInput(Map<String, NodeInfo> inputs, String name, String file)
                throws ModelLoadException {
            if (!inputs.containsKey(name)) {
                throw new ModelLoadException(file + ": has no input '" + name + "' (inputs: " + inputs.keySet() + ")");
            }
        }

        /** Expected dims (-1: any); a graph dim of -1 (dynamic) matches anything. */
        private static void expectShape(Map<String, NodeInfo> nodes, String name, String file, Object... expected)
                throws ModelLoadException {
            long[] shape = ((TensorInfo) nodes.get(name).getInfo()).getShape();
            String keys = (String) expected[expected.length - 1];
            int rank = expected.length - 1;
            boolean ok = shape.length == rank;
            for (int i = 0; ok && i < rank; i++) {
                int want = (Integer) expected[i];
                ok = want < 0 || shape[i] < 0 || shape[i] == want;
            }
            if (!ok) {
                int[] want = new int[rank];
                for (int i = 0; i < rank; i++) {
                    want[i] = (Integer) expected[i];
                }
                throw new ModelLoadException(file + ": metadata contradicts the graph: '" + name + "' has shape "
                        + Arrays.toString(shape) + " but the metadata (" + keys + ") implies " + Arrays.toString(want)
                        + " (-1 = any)");
            }
        }
    }
}
