package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.connector.AudioFrame;
import io.captioner.connector.CallInfo;
import io.captioner.connector.LegRole;
import io.captioner.connector.TappedLeg;
import io.captioner.stream.event.CaptionEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load step of {@code captioner bench}: {@code legs} simulated legs, a call each, fed 20 ms frames
 * in real time, as Asterisk sends them, through a fresh {@link CaptioningService}: the service's own leg
 * queues, decoder pool, recognizers and caption events, without Asterisk and Kafka. Every leg says the
 * same looped audio, each from its own point in the loop so that their chunks do not fall due together.
 */
final class LoadRun {
    private static final int FRAME_MS = 20;

    /**
     * What one step measured, over its window of real time (the legs' ends are not in it).
     *
     * @param onnxSeconds time inside ONNX Runtime's run, summed over the legs
     * @param heapBytes   heap in use after a collection, with the legs open
     * @param rssBytes    resident memory of the process, with the legs open
     */
    record Result(
            int legs,
            double audioSeconds,
            double decodeSeconds,
            double onnxSeconds,
            LatencySamples latencies,
            long finals,
            long partialsSkipped,
            long framesDropped,
            long legErrors,
            long heapBytes,
            long rssBytes) {
        /** Decoding time over audio time, summed over the legs. */
        double realTimeFactor() {
            return decodeSeconds / audioSeconds;
        }

        /** Every leg kept up: 95% of the chunks were decoded within one chunk's time of their audio, nothing shed. */
        boolean keptUp(double chunkMs) {
            return latencies.percentileMs(LatencySamples.Kind.CHUNK, 0.95) < chunkMs
                    && partialsSkipped == 0
                    && framesDropped == 0
                    && legErrors == 0;
        }
    }

    private LoadRun() {}

    static Result run(AsrModel model, ServiceSettings settings, PcmAudio loop, int legs, Duration window)
            throws InterruptedException {
        ServiceMetrics metrics = new ServiceMetrics();
        LatencySamples latencies = new LatencySamples();
        metrics.sampleLatenciesInto(latencies);
        AtomicLong finals = new AtomicLong();
        AtomicLong feedStartNanos = new AtomicLong();
        AtomicBoolean inWindow = new AtomicBoolean(true);
        Set<String> segmentsSeen = ConcurrentHashMap.newKeySet();
        CaptionSink sink = event -> {
            if (inWindow.get() && event instanceof CaptionEvent caption) {
                if (!caption.partial()) {
                    finals.incrementAndGet();
                } else if (!caption.words().isEmpty() && segmentsSeen.add(caption.segmentId())) {
                    // a leg's call time is its audio time (legOffsetMs is 0, see below)
                    long spokenNanos =
                            feedStartNanos.get() + caption.words().get(0).startMs() * 1_000_000;
                    latencies.add(LatencySamples.Kind.FIRST_PARTIAL, (System.nanoTime() - spokenNanos) / 1e9);
                }
            }
        };
        CaptioningService service = new CaptioningService(settings, model, sink, metrics);
        long heapBefore = heapInUse();
        long rssBefore = residentBytes();

        // Calls start a minute ahead: the service then counts each leg's time from its first frame.
        SimulatedLegs simulated =
                SimulatedLegs.open(service, "bench-", legs, loop, Instant.now().plusSeconds(60));
        ScheduledExecutorService asterisk = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-audio");
            t.setDaemon(true);
            return t;
        });
        AtomicLong sequence = new AtomicLong();
        model.stats().reset();
        feedStartNanos.set(System.nanoTime());
        // frame k is sent when its 20 ms have been spoken: (k + 1) × 20 ms after the feed starts
        asterisk.scheduleAtFixedRate(
                () -> {
                    simulated.sendFrame(sequence.getAndIncrement());
                },
                FRAME_MS,
                FRAME_MS,
                TimeUnit.MILLISECONDS);
        Thread.sleep(window.toMillis());
        asterisk.shutdownNow();
        asterisk.awaitTermination(5, TimeUnit.SECONDS);
        // the window ends here: what the legs still decode during the collections below is not in it
        metrics.sampleLatenciesInto(null);
        inWindow.set(false);
        Result result = new Result(
                legs,
                metrics.audioSeconds.get(),
                metrics.decodeSeconds.get(),
                model.stats().totalNanos() / 1e9,
                latencies,
                finals.get(),
                (long) metrics.partialsSkipped.get(),
                (long) metrics.backlogFramesDropped.get(),
                (long) metrics.legErrors.get(),
                Math.max(0, heapInUse() - heapBefore),
                Math.max(0, residentBytes() - rssBefore));
        simulated.end("bench step over");
        if (!service.awaitCallsEnded(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the legs of the " + legs + "-leg step did not finish within 60 s");
        }
        return result;
    }

    /**
     * Throughput: {@code legs} legs each given {@code seconds} of the loop at once, as fast as the service
     * decodes them (partials skipped as a leg that is behind skips them, every chunk still decoded).
     *
     * @return audio seconds decoded per second of wall time, from the first frame to the last leg's end
     * @throws IllegalStateException when a leg failed or dropped audio (the figure would not be the whole audio)
     */
    static double throughput(AsrModel model, ServiceSettings settings, PcmAudio loop, int legs, int seconds)
            throws InterruptedException {
        ServiceMetrics metrics = new ServiceMetrics();
        CaptioningService service = new CaptioningService(settings, model, event -> {}, metrics);
        SimulatedLegs simulated = SimulatedLegs.open(service, "flat-", legs, loop, Instant.now());
        long start = System.nanoTime();
        for (long k = 0; k < seconds * 1000L / FRAME_MS; k++) {
            simulated.sendFrame(k);
        }
        simulated.end("throughput run over");
        if (!service.awaitCallsEnded(Duration.ofSeconds(60L * seconds))) {
            throw new IllegalStateException("the " + legs + " legs of the throughput run did not finish");
        }
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        if (metrics.legErrors.get() > 0 || metrics.backlogFramesDropped.get() > 0) {
            throw new IllegalStateException("the throughput run lost audio: " + (long) metrics.legErrors.get()
                    + " legs failed, " + (long) metrics.backlogFramesDropped.get() + " frames dropped");
        }
        return legs * (double) seconds / wallSeconds;
    }

    /** One call of one caller leg each, told to the service as the connector would, all saying the loop. */
    private record SimulatedLegs(CaptioningService service, PcmAudio loop, List<TappedLeg> legs, List<CallInfo> calls) {
        static SimulatedLegs open(
                CaptioningService service, String prefix, int count, PcmAudio loop, Instant startedAt) {
            List<TappedLeg> legs = new ArrayList<>();
            List<CallInfo> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                TappedLeg leg = new TappedLeg(
                        prefix + i, prefix + i + "-leg", LegRole.CALLER, loop.sampleRate(), "Local/" + prefix + i);
                CallInfo call = new CallInfo(leg.callId(), "", "", List.of(leg.channel()), List.of(leg), startedAt);
                service.onCallStarted(call);
                service.onLegTapped(leg);
                legs.add(leg);
                calls.add(call);
            }
            return new SimulatedLegs(service, loop, legs, calls);
        }

        /** Frame k (20 ms) of every leg, each leg from its own point in the loop so that their chunks fall due apart. */
        void sendFrame(long k) {
            int frameSamples = loop.sampleRate() * FRAME_MS / 1000;
            int frames = loop.samples().length / frameSamples;
            for (int i = 0; i < legs.size(); i++) {
                int at = (int) ((k + (long) i * frames / legs.size()) % frames) * frameSamples;
                short[] samples = new short[frameSamples];
                System.arraycopy(loop.samples(), at, samples, 0, frameSamples);
                service.onAudio(legs.get(i), new AudioFrame(samples, loop.sampleRate(), k, k * FRAME_MS));
            }
        }

        void end(String reason) {
            for (int i = 0; i < legs.size(); i++) {
                service.onLegEnded(legs.get(i), reason);
                service.onCallEnded(calls.get(i), reason);
            }
        }
    }

    private static long heapInUse() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process (Linux), 0 where /proc is not there. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
