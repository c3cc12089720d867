package io.captioner.asr.model;

import java.util.concurrent.atomic.LongAdder;

/** Wall time spent inside ONNX Runtime's {@code run}, per graph, summed over all streams. */
public final class RunStats {
    private final LongAdder encoderNanos = new LongAdder();
    private final LongAdder ctcNanos = new LongAdder();
    private final LongAdder decoderNanos = new LongAdder();
    private final LongAdder encoderRuns = new LongAdder();
    private final LongAdder decoderRuns = new LongAdder();

    void encoder(long nanos) {
        encoderNanos.add(nanos);
        encoderRuns.increment();
    }

    void ctc(long nanos) {
        ctcNanos.add(nanos);
    }

    void decoder(long nanos) {
        decoderNanos.add(nanos);
        decoderRuns.increment();
    }

    public long encoderNanos() {
        return encoderNanos.sum();
    }

    public long ctcNanos() {
        return ctcNanos.sum();
    }

    public long decoderNanos() {
        return decoderNanos.sum();
    }

    public long totalNanos() {
        return encoderNanos() + ctcNanos() + decoderNanos();
    }

    public long encoderRuns() {
        return encoderRuns.sum();
    }

    public long decoderRuns() {
        return decoderRuns.sum();
    }

    public void reset() {
        encoderNanos.reset();
        ctcNanos.reset();
        decoderNanos.reset();
        encoderRuns.reset();
        decoderRuns.reset();
    }
}
