package io.captioner.asr.model;

import io.captioner.asr.fbank.Fbank;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of a WeNet ONNX export (string key/values on the encoder graph), parsed and checked.
 * {@code chunkSize} and {@code leftChunks} are the export mode: 16/-1 (all history), 16/4 (limited
 * left context) or -1/-1 (full context). {@code sampleRate} is 16000 when absent, as in WeNet's exports.
 * {@code featureMean} (this recipe's key {@code feature_mean}) is the mean fbank frame of the training audio,
 * the mean that the encoder's global CMVN subtracts; {@code speechFeatureMean} ({@code feature_mean_speech}) the
 * mean of its frames whose mean log energy lies above that mean frame's.
 */
public record ModelMetadata(
        int sampleRate,
        int featureSize,
        int chunkSize,
        int leftChunks,
        int subsamplingRate,
        int rightContext,
        int outputSize,
        int numBlocks,
        int head,
        int cnnModuleKernel,
        int sos,
        int eos,
        double reverseWeight,
        boolean bidirectionalDecoder,
        int vocabSize,
        Optional<String> modelName,
        Optional<String> modelVersion,
        Optional<Integer> numExperts,
        Optional<Integer> moeTopK,
        Optional<float[]> featureMean,
        Optional<float[]> speechFeatureMean) {

    public static final int DEFAULT_SAMPLE_RATE = 16000;

    /** Parses the metadata of {@code source} (a file name used in error messages). */
    public static ModelMetadata parse(Map<String, String> meta, String source) throws ModelLoadException {
        Reader r = new Reader(meta, source);
        ModelMetadata m = new ModelMetadata(
                r.optionalInt("sample_rate").orElse(DEFAULT_SAMPLE_RATE),
                r.optionalInt("feature_size").orElse(80),
                r.requiredInt("chunk_size"),
                r.requiredInt("left_chunks"),
                r.requiredInt("subsampling_rate"),
                r.requiredInt("right_context"),
                r.requiredInt("output_size"),
                r.requiredInt("num_blocks"),
                r.requiredInt("head"),
                r.requiredInt("cnn_module_kernel"),
                r.requiredInt("sos_symbol"),
                r.requiredInt("eos_symbol"),
                r.requiredDouble("reverse_weight"),
                r.optionalInt("is_bidirectional_decoder").orElse(0) != 0,
                r.requiredInt("vocab_size"),
                Optional.ofNullable(meta.get("model_name")),
                Optional.ofNullable(meta.get("model_version")),
                r.optionalInt("num_experts"),
                r.optionalInt("moe_top_k"),
                r.optionalFloats("feature_mean"),
                r.optionalFloats("feature_mean_speech"));
        m.check(source);
        return m;
    }

    private void check(String source) throws ModelLoadException {
        require(sampleRate > 0, source, "sample_rate " + sampleRate + " must be positive");
        require(
                subsamplingRate == 4 || subsamplingRate == 6 || subsamplingRate == 8,
                source,
                "subsampling_rate " + subsamplingRate + " is not one of 4, 6, 8");
        require(
                rightContext >= subsamplingRate - 1,
                source,
                "right_context " + rightContext + " is smaller than subsampling_rate - 1 (" + (subsamplingRate - 1)
                        + ")");
        require(chunkSize > 0 || chunkSize == -1, source, "chunk_size " + chunkSize + " must be positive or -1");
        require(leftChunks > 0 || leftChunks == -1, source, "left_chunks " + leftChunks + " must be positive or -1");
        require(
                !(chunkSize == -1 && leftChunks > 0),
                source,
                "left_chunks " + leftChunks + " with full context (chunk_size -1)");
        require(
                outputSize > 0 && head > 0 && outputSize % head == 0,
                source,
                "output_size " + outputSize + " is not a positive multiple of head " + head);
        require(numBlocks > 0, source, "num_blocks " + numBlocks + " must be positive");
        require(cnnModuleKernel > 0, source, "cnn_module_kernel " + cnnModuleKernel + " must be positive");
        require(vocabSize > 2, source, "vocab_size " + vocabSize + " is too small");
        require(
                sos >= 0 && sos < vocabSize && eos >= 0 && eos < vocabSize,
                source,
                "sos_symbol " + sos + " / eos_symbol " + eos + " outside the vocabulary of " + vocabSize);
        require(
                reverseWeight >= 0 && reverseWeight <= 1,
                source,
                "reverse_weight " + reverseWeight + " outside [0, 1]");
        requireFeatureSize(featureMean, "feature_mean", source);
        requireFeatureSize(speechFeatureMean, "feature_mean_speech", source);
    }

    /** Whether this is a streaming export (chunk_size > 0). */
    public boolean streaming() {
        return chunkSize > 0;
    }

    /** Encoder frames of input the encoder needs beyond the chunk: the last (1 + rc − sub) of the previous call. */
    public int cachedFeatureFrames() {
        return 1 + rightContext - subsamplingRate;
    }

    /** Milliseconds per encoder (CTC) frame: the feature frame shift × subsampling. */
    public int encoderFrameMs() {
        return Fbank.FRAME_SHIFT_MS * subsamplingRate;
    }

    public int attentionKeyValueSize() {
        return 2 * outputSize / head;
    }

    public String describe() {
        return String.format(
                "%s%s: %d blocks x %d, %d heads, sub %d, rc %d, chunk %d/left %d, vocab %d, rw %.2f%s, %d Hz",
                modelName.orElse("model"),
                modelVersion.map(v -> " " + v).orElse(""),
                numBlocks,
                outputSize,
                head,
                subsamplingRate,
                rightContext,
                chunkSize,
                leftChunks,
                vocabSize,
                reverseWeight,
                numExperts
                        .map(e -> ", MoE " + e + " experts top-" + moeTopK.orElse(0))
                        .orElse(""),
                sampleRate);
    }

    private void requireFeatureSize(Optional<float[]> values, String key, String source) throws ModelLoadException {
        if (values.isPresent()) {
            int n = values.get().length;
            require(n == featureSize, source, key + " has " + n + " values, feature_size is " + featureSize);
        }
    }

    private static void require(boolean ok, String source, String what) throws ModelLoadException {
        if (!ok) {
            throw new ModelLoadException(source + ": metadata " + what);
        }
    }

    private record Reader(Map<String, String> meta, String source) {
        int requiredInt(String key) throws ModelLoadException {
            return optionalInt(key)
                    .orElseThrow(() -> new ModelLoadException(
                            source + ": metadata key '" + key + "' is missing (is this a WeNet ONNX export?)"));
        }

        double requiredDouble(String key) throws ModelLoadException {
            String v = meta.get(key);
            if (v == null) {
                throw new ModelLoadException(
                        source + ": metadata key '" + key + "' is missing (is this a WeNet ONNX export?)");
            }
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new ModelLoadException(source + ": metadata '" + key + "' = '" + v + "' is not a number");
            }
        }

        /** Comma-separated numbers. */
        Optional<float[]> optionalFloats(String key) throws ModelLoadException {
            String v = meta.get(key);
            if (v == null) {
                return Optional.empty();
            }
            String[] parts = v.split(",");
            float[] values = new float[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) {
                    values[i] = Float.parseFloat(parts[i].trim());
                }
            } catch (NumberFormatException e) {
                throw new ModelLoadException(source + ": metadata '" + key + "' is not a comma-separated list of"
                        + " numbers: " + e.getMessage());
            }
            return Optional.of(values);
        }

        Optional<Integer> optionalInt(String key) throws ModelLoadException {
            String v = meta.get(key);
            if (v == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new ModelLoadException(source + ": metadata '" + key + "' = '" + v + "' is not an integer");
            }
        }
    }
}
