package io.captioner.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleSupplier;

/** The service's Prometheus metrics, exposed at /metrics. */
public final class ServiceMetrics {
    private static final double[] LATENCY_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();

    final Counter callsTotal =
            Counter.builder().name("captioner_calls_total").help("Calls seen").register(registry);
    final Counter legsTotal =
            Counter.builder().name("captioner_legs_total").help("Legs tapped").register(registry);
    final Counter legsRefused = Counter.builder()
            .name("captioner_legs_refused_total")
            .help("Legs not captioned because the configured limit of concurrent legs was reached")
            .register(registry);
    final Counter legErrors = Counter.builder()
            .name("captioner_leg_errors_total")
            .help("Legs whose captioning ended with an error")
            .register(registry);
    final Counter audioSeconds = Counter.builder()
            .name("captioner_audio_seconds_total")
            .help("Seconds of call audio received")
            .register(registry);
    final Counter decodeSeconds = Counter.builder()
            .name("captioner_decode_seconds_total")
            .help("Seconds spent decoding audio (real-time factor = decode / audio)")
            .register(registry);
    final Histogram chunkQueueDelay = Histogram.builder()
            .name("captioner_chunk_queue_delay_seconds")
            .help("Time audio waits in a leg's queue before it is decoded")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    private final Histogram chunkLatency = Histogram.builder()
            .name("captioner_chunk_latency_seconds")
            .help("From the arrival of the first audio of a decoding pass that ran the encoder to the end of that pass "
                    + "(how far behind the call a leg's captions are)")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    private final Histogram partialLatency = Histogram.builder()
            .name("captioner_partial_latency_seconds")
            .help("From the arrival of the last audio of a chunk to its partial caption")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    private final Histogram finalLatency = Histogram.builder()
            .name("captioner_final_latency_seconds")
            .help("From the arrival of the audio that ended an utterance to its final caption")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    /** A recognizer's: from a tapper sending an audio record to this recognizer reading it (clocks in step). */
    final Histogram audioHop = Histogram.builder()
            .name("captioner_audio_hop_seconds")
            .help("From a tapper sending an audio record to the recognizer reading it (the audio topic's added latency,"
                    + " besides the record's gathering, cluster.recordAudio at most)")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)
            .register(registry);

    final Counter partialsSkipped = Counter.builder()
            .name("captioner_partials_skipped_total")
            .help("Partial captions not produced because a leg's decoder fell behind (overload)")
            .register(registry);
    final Counter backlogFramesDropped = Counter.builder()
            .name("captioner_backlog_frames_dropped_total")
            .help("Audio frames dropped because a leg's undecoded backlog exceeded limits.maxBacklog")
            .register(registry);
    final Counter dtmfDigits = Counter.builder()
            .name("captioner_dtmf_digits_total")
            .help("DTMF digits reported by Asterisk on captioned legs (never transcribed)")
            .register(registry);
    final Counter captions = Counter.builder()
            .name("captioner_captions_total")
            .help("Captions produced")
            .labelNames("kind")
            .register(registry);
    final Counter redactions = Counter.builder()
            .name("captioner_redactions_total")
            .help("Spans hidden from final captions by the redaction rules, by label (CARD, SECURITY_CODE, ...)")
            .labelNames("label")
            .register(registry);

    private volatile LatencySamples samples;

    public ServiceMetrics() {
        JvmMetrics.builder().register(registry); // heap, GC, threads, buffer pools: what operators expect to see
        gauge(
                "captioner_real_time_factor",
                "Decode time over audio time since start (below 1 keeps up with the calls)",
                () -> audioSeconds.get() > 0 ? decodeSeconds.get() / audioSeconds.get() : 0);
    }

    /** Every latency observed from now on also goes, exactly, to {@code samples} (the histograms keep buckets only). */
    void sampleLatenciesInto(LatencySamples samples) {
        this.samples = samples;
    }

    void observeChunkLatency(double seconds) {
        chunkLatency.observe(seconds);
        record(LatencySamples.Kind.CHUNK, seconds);
    }

    void observePartialLatency(double seconds) {
        partialLatency.observe(seconds);
        record(LatencySamples.Kind.PARTIAL, seconds);
    }

    void observeFinalLatency(double seconds) {
        finalLatency.observe(seconds);
        record(LatencySamples.Kind.FINAL, seconds);
    }

    private void record(LatencySamples.Kind kind, double seconds) {
        LatencySamples to = samples;
        if (to != null) {
            to.add(kind, seconds);
        }
    }

    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
    }

    public void counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
