package io.captioner.asr;

import io.captioner.asr.model.ModelLoadException;
import io.captioner.asr.model.ModelMetadata;
import io.captioner.asr.model.RunStats;
import io.captioner.asr.model.WenetOnnxModel;
import io.captioner.asr.search.SymbolTable;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loaded WeNet U2++ (dense or MoE) ONNX export. Thread-safe: one instance serves any number of
 * concurrent streams, each with its own {@link StreamingRecognizer}.
 */
public final class AsrModel implements AutoCloseable {
    private final WenetOnnxModel onnx;
    private final AtomicLong streams = new AtomicLong();

    private AsrModel(WenetOnnxModel onnx) {
        this.onnx = onnx;
    }

    /** Loads an export directory with one ONNX Runtime thread per run (best for many concurrent streams). */
    public static AsrModel load(Path directory) throws ModelLoadException {
        return load(directory, 1);
    }

    /**
     * Loads {@code encoder.onnx}, {@code ctc.onnx}, {@code decoder.onnx} and {@code units.txt} from
     * {@code directory} and checks them against each other.
     * @throws ModelLoadException naming the file and what is wrong
     */
    public static AsrModel load(Path directory, int intraOpThreads) throws ModelLoadException {
        return new AsrModel(WenetOnnxModel.load(directory, intraOpThreads));
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
        return new StreamingRecognizer(onnx, options, streamId);
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
        return onnx.directory() + " (" + onnx.metadata().describe() + ", " + WenetOnnxModel.executionProvider() + " execution provider)";
    }

    @Override
    public void close() {
        onnx.close();
    }
}
