package io.captioner.asr;

import io.captioner.asr.lm.NgramLanguageModel;
import io.captioner.asr.lm.VocabularyTrie;
import io.captioner.asr.model.EncoderBatcher;
import io.captioner.asr.model.ExecutionProvider;
import io.captioner.asr.model.ModelLoadException;
import io.captioner.asr.model.ModelMetadata;
import io.captioner.asr.model.RunStats;
import io.captioner.asr.model.WenetOnnxModel;
import io.captioner.asr.search.LanguageModelFusion;
import io.captioner.asr.search.SymbolTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded WeNet U2++ (dense or MoE) ONNX export, with the word language model that goes with it
 * when there is one. Thread-safe: one instance serves any number of concurrent streams, each with
 * its own {@link StreamingRecognizer}.
 */
public final class AsrModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AsrModel.class);
    /** The language model files a model directory may hold, looked for in this order. */
    public static final List<String> LANGUAGE_MODEL_FILES = List.of("lm.arpa", "lm.arpa.gz");

    /**
     * Which word language model to fuse into decoding.
     *
     * @param enabled false: decode without a language model
     * @param file the ARPA file; {@code null}: the model directory's own ({@link #LANGUAGE_MODEL_FILES}), if any
     */
    public record LanguageModelSource(boolean enabled, Path file) {
        public static final LanguageModelSource MODEL_DIRECTORY = new LanguageModelSource(true, null);
        public static final LanguageModelSource NONE = new LanguageModelSource(false, null);

        public static LanguageModelSource file(Path arpa) {
            return new LanguageModelSource(true, arpa);
        }
    }

    private final WenetOnnxModel onnx;
    private final NgramLanguageModel languageModel;
    private final VocabularyTrie vocabulary;
    private final AtomicLong streams = new AtomicLong();
    private volatile EncoderBatcher batcher;

    private AsrModel(WenetOnnxModel onnx, NgramLanguageModel languageModel) {
        this.onnx = onnx;
        this.languageModel = languageModel;
        this.vocabulary = languageModel == null ? null : VocabularyTrie.of(languageModel);
    }

    /** Loads an export directory with one ONNX Runtime thread per run (best for many concurrent streams). */
    public static AsrModel load(Path directory) throws ModelLoadException {
        return load(directory, 1);
    }

    /** Loads an export directory and its own language model, if it holds one. */
    public static AsrModel load(Path directory, int intraOpThreads) throws ModelLoadException {
        return load(directory, intraOpThreads, LanguageModelSource.MODEL_DIRECTORY);
    }

    /**
     * Loads {@code encoder.onnx}, {@code ctc.onnx}, {@code decoder.onnx} and {@code units.txt} from
     * {@code directory}, checks them against each other, and loads the language model {@code lm} names.
     * @throws ModelLoadException naming the file and what is wrong (for an ARPA file: its line)
     */
    public static AsrModel load(Path directory, int intraOpThreads, LanguageModelSource lm) throws ModelLoadException {
        return load(directory, intraOpThreads, lm, ExecutionProvider.AUTO);
    }

    /** {@link #load(Path, int, LanguageModelSource)} on the execution provider asked for (CPU where CUDA cannot run). */
    public static AsrModel load(Path directory, int intraOpThreads, LanguageModelSource lm, ExecutionProvider provider)
            throws ModelLoadException {
        NgramLanguageModel languageModel = loadLanguageModel(directory, lm);
        return new AsrModel(WenetOnnxModel.load(directory, intraOpThreads, provider), languageModel);
    }

    private static NgramLanguageModel loadLanguageModel(Path directory, LanguageModelSource source)
            throws ModelLoadException {
        if (!source.enabled()) {
            return null;
        }
        Path file = source.file();
        if (file == null) {
            file = LANGUAGE_MODEL_FILES.stream()
                    .map(directory::resolve)
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElse(null);
            if (file == null) {
                return null;
            }
        }
        try {
            long start = System.nanoTime();
            NgramLanguageModel lm = NgramLanguageModel.load(file);
            log.info("language model loaded in {} ms: {}", (System.nanoTime() - start) / 1_000_000, lm.describe());
            return lm;
        } catch (IOException e) {
            throw new ModelLoadException(
                    "language model "
                            + (e.getMessage().startsWith(file.toString())
                                    ? e.getMessage()
                                    : file + ": " + e.getMessage()),
                    e);
        }
    }

    /** The word language model fused into decoding, or {@code null}. */
    public NgramLanguageModel languageModel() {
        return languageModel;
    }

    /** The fusion of this model's language model with {@code weights}, or {@code null} without one. */
    LanguageModelFusion languageModelFusion(LanguageModelFusion.Weights weights) {
        return languageModel == null ? null : new LanguageModelFusion(languageModel, vocabulary, onnx.units(), weights);
    }

    /** A new stream (one call leg). */
    public StreamingRecognizer newRecognizer(DecodeOptions options) {
        return newRecognizer(options, "stream-" + streams.incrementAndGet());
    }

    /**
     * A new stream; {@code streamId} appears in error messages.
     * @throws IllegalArgumentException when the options do not fit this export (e.g. left chunks on an
     *     export without a left-chunk limit, full context on a limited-left export, hotwords with units
     *     the model lacks)
     */
    public StreamingRecognizer newRecognizer(DecodeOptions options, String streamId) {
        return new StreamingRecognizer(onnx, batcher, languageModelFusion(options.languageModel()), options, streamId);
    }

    /**
     * Streams created from now on run their streaming chunks through one {@link EncoderBatcher}: chunks of
     * many streams in one run of the batched encoder, at most {@code maxBatch}, the first waiting at most
     * {@code maxWait} for others, on {@code runners} threads. Streams in full context and the finals'
     * full-context pass run alone.
     * @return false, changing nothing, when the directory has no batched encoder ({@code encoder_batch.onnx})
     * @throws IllegalStateException when batching has already started
     */
    public synchronized boolean startBatching(int maxBatch, Duration maxWait, int runners) {
        if (batcher != null) {
            throw new IllegalStateException(onnx.directory() + ": batching has already started");
        }
        if (!onnx.canBatch()) {
            return false;
        }
        batcher = new EncoderBatcher(onnx, maxBatch, maxWait, runners);
        return true;
    }

    /** The batcher that {@link #startBatching} started, if any. */
    public Optional<EncoderBatcher> batcher() {
        return Optional.ofNullable(batcher);
    }

    public ModelMetadata metadata() {
        return onnx.metadata();
    }

    public SymbolTable units() {
        return onnx.units();
    }

    /** The model's sample rate (audio at other rates is resampled). */
    public int sampleRate() {
        return onnx.metadata().sampleRate();
    }

    public Path directory() {
        return onnx.directory();
    }

    /** Time spent inside ONNX Runtime, summed over all streams. */
    public RunStats stats() {
        return onnx.stats();
    }

    public String describe() {
        return onnx.directory() + " (" + onnx.metadata().describe() + ", execution provider "
                + onnx.executionProvider() + "), language model: "
                + (languageModel == null ? "none" : languageModel.describe());
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        onnx.close();
    }
}
