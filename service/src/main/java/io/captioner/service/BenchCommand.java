package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.asr.Machine;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.WavReader;
import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./captioner bench}: how many calls this machine captions at once in real time, and how fast. */
@Command(
        name = "bench",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "How many calls this machine captions at once in real time, and how fast.",
            "",
            "How many legs this machine captions at once in real time, and how soon their captions come. For each"
                    + " model, side by side: a warm-up leg, then 1, 2, 4, ... simulated legs (up to --legs), fed 20 ms"
                    + " frames in real time through the service's own decoding (leg queues, decoder pool, recognizers,"
                    + " caption events; no Asterisk, no Kafka), each step for --seconds. A step keeps up when 95%% of"
                    + " the chunks are decoded within one chunk's time of the arrival of their first audio and"
                    + " nothing is shed; the search stops at the first step that does not and narrows the gap to the"
                    + " last one that did."
        })
final class BenchCommand implements Callable<Integer> {
    private static final int MAX_LEGS = 1024;
    private static final int MAX_SECONDS = 3600;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "a model directory; repeat it to compare models (default: the configuration's model.dir)")
    private List<Path> modelOptions = new ArrayList<>();

    @Option(names = "--legs", paramLabel = "N", description = "the most legs to try (default ${DEFAULT-VALUE})")
    private int legs = 64;

    @Option(names = "--seconds", paramLabel = "S", description = "length of each step (default ${DEFAULT-VALUE})")
    private int seconds = 20;

    @Option(
            names = "--audio",
            paramLabel = "WAV",
            description = "what every leg says, looped with 1.5 s pauses (default: the first model's"
                    + " contract/speech_8k.wav)")
    private Path audio;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "decoder settings (default: $CAPTIONER_CONFIG, else config/captioner.yaml)")
    private Path config;

    @Option(
            names = "--batching",
            paramLabel = "on|off|both",
            description = "legs' chunks batched into one encoder run, not, or each model both ways (default: as the"
                    + " configuration's decoder.batching.enabled says)")
    private String batching;

    @Option(
            names = "--throughput-legs",
            paramLabel = "N",
            description = "legs of the throughput run after the capacity steps, each given --seconds of audio at"
                    + " once (0: none; default ${DEFAULT-VALUE})")
    private int throughputLegs = 32;

    @Option(names = "--json", description = "print one JSON object instead of the tables")
    private boolean json;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final double PAUSE_SECONDS = 1.5;
    private static final int MAX_REFINEMENTS = 3;
    /** The figures of the most legs kept in real time that a model's JSON object repeats from that step's. */
    private static final List<String> AT_CAPACITY = List.of(
            "first_partial_latency_p50_ms",
            "first_partial_latency_p95_ms",
            "final_latency_p50_ms",
            "final_latency_p95_ms",
            "heap_mb_per_leg",
            "rss_mb_per_leg",
            "outside_onnx_share");

    private record Options(
            List<Path> models,
            int legs,
            int seconds,
            Path audio,
            Path config,
            List<Boolean> batchingModes,
            int throughputLegs,
            boolean json) {}

    /**
     * One model measured one way.
     *
     * @param batched    whether its legs' chunks ran in batches
     * @param throughput audio seconds per second of the throughput run (NaN without one)
     * @param meanBatch  chunks per batched encoder run over all the steps (NaN unbatched)
     */
    private record ModelReport(
            Path dir,
            String name,
            boolean batched,
            double chunkMs,
            List<LoadRun.Result> steps,
            int maxRealtimeLegs,
            int legsTried,
            double throughput,
            double meanBatch) {
        /** "32", or "at least 64" when every step kept up (the machine may take more than --legs). */
        String capacity() {
            return (maxRealtimeLegs == legsTried ? "at least " : "") + maxRealtimeLegs;
        }

        LoadRun.Result best() {
            return steps.stream()
                    .filter(s -> s.legs() == maxRealtimeLegs)
                    .findFirst()
                    .orElse(steps.get(0));
        }
    }

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Path home = RunCommand.home();
        Options options = validated(home);
        try {
            List<ModelReport> reports = new ArrayList<>();
            PcmAudio loop = null;
            for (Path dir : options.models().isEmpty() ? List.of((Path) null) : options.models()) {
                for (Boolean batched : options.batchingModes()) {
                    ServiceSettings settings = settings(options, dir, home, batched);
                    if (loop == null) {
                        Path audioFile = options.audio() != null
                                ? options.audio()
                                : settings.model().dir().resolve("contract").resolve("speech_8k.wav");
                        loop = withPause(WavReader.read(audioFile));
                        err.printf(
                                Locale.ROOT,
                                "audio: %s, %.1f s with its pause, looped%n",
                                audioFile,
                                loop.durationSeconds());
                    }
                    reports.add(measure(settings, loop, options, err));
                }
            }
            if (options.json()) {
                out.println(json(reports, loop, options).encodePrettily());
            } else {
                printTables(reports, options, out);
            }
            return 0;
        } catch (ConfigException e) {
            err.println("cannot bench: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("bench failed: " + e);
            return 1;
        }
    }

    /** The options checked; a ParameterException names a bad one. */
    private Options validated(Path home) {
        within("--legs", legs, MAX_LEGS);
        within("--seconds", seconds, MAX_SECONDS);
        if (throughputLegs != 0) {
            within("--throughput-legs", throughputLegs, MAX_LEGS);
        }
        List<Boolean> batchingModes = new ArrayList<>();
        if (batching == null) {
            batchingModes.add(null);
        } else {
            switch (batching) {
                case "on" -> batchingModes.add(true);
                case "off" -> batchingModes.add(false);
                case "both" -> batchingModes.addAll(List.of(true, false));
                default ->
                    throw new ParameterException(
                            spec.commandLine(), "--batching must be on, off or both, got '" + batching + "'");
            }
        }
        List<Path> models = new ArrayList<>();
        for (Path model : modelOptions) {
            Path dir = model.toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve("encoder.onnx"))) {
                throw new ParameterException(
                        spec.commandLine(), "--model: no model at " + model + " (no encoder.onnx)");
            }
            models.add(dir);
        }
        if (audio != null && !Files.isRegularFile(audio)) {
            throw new ParameterException(spec.commandLine(), "--audio: no such file: " + audio);
        }
        Path configFile = config != null ? config : RunCommand.defaultConfig(home);
        if (!Files.isRegularFile(configFile)) {
            throw new ParameterException(spec.commandLine(), "--config: no such file: " + configFile);
        }
        return new Options(models, legs, seconds, audio, configFile, batchingModes, throughputLegs, json);
    }

    private void within(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be a whole number from 1 to " + max + ", got '" + value + "'");
        }
    }

    /**
     * The configuration as the service reads it, with the model, batching as asked ({@code null}: as configured),
     * room for every leg of the bench and, for the throughput run, a backlog bound above the audio it is given.
     */
    private static ServiceSettings settings(Options options, Path modelDir, Path home, Boolean batched) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (modelDir != null) {
            environment.put(Config.environmentVariable("model.dir"), modelDir.toString());
        }
        if (batched != null) {
            environment.put(Config.environmentVariable("decoder.batching.enabled"), batched.toString());
        }
        environment.put(
                Config.environmentVariable("limits.maxLegs"),
                String.valueOf(Math.max(options.legs(), options.throughputLegs())));
        environment.put(Config.environmentVariable("limits.maxBacklog"), Math.max(30, options.seconds() + 10) + "s");
        return ServiceSettings.from(Config.load(options.config(), environment), home);
    }

    private static PcmAudio withPause(PcmAudio speech) {
        short[] samples = new short[speech.samples().length + (int) (PAUSE_SECONDS * speech.sampleRate())];
        System.arraycopy(speech.samples(), 0, samples, 0, speech.samples().length);
        return new PcmAudio(speech.sampleRate(), samples);
    }

    private static ModelReport measure(ServiceSettings settings, PcmAudio loop, Options options, PrintStream err)
            throws Exception {
        try (AsrModel model = ServiceWiring.loadModel(settings)) {
            boolean batched = model.batcher().isPresent();
            String name = model.metadata()
                            .modelName()
                            .orElse(model.directory().getFileName().toString())
                    + model.metadata().modelVersion().map(v -> " version " + v).orElse("")
                    + (batched ? ", batched" : ", unbatched");
            int chunkFrames = settings.decoder().chunkSize() > 0
                    ? settings.decoder().chunkSize()
                    : model.metadata().chunkSize();
            double chunkMs = chunkFrames * model.metadata().encoderFrameMs();
            err.printf(
                    Locale.ROOT,
                    "%s: warming up (one leg, %d s); a leg keeps up while its chunks are decoded "
                            + "within a chunk's time (%.0f ms)%n",
                    name,
                    WARM_UP.toSeconds(),
                    chunkMs);
            LoadRun.run(model, settings, loop, 1, WARM_UP);
            Duration window = Duration.ofSeconds(options.seconds());
            List<LoadRun.Result> steps = new ArrayList<>();
            int keptUp = 0;
            int fellBehind = Integer.MAX_VALUE;
            int narrowing = 0;
            for (int legs = nextLegs(keptUp, fellBehind, options.legs(), narrowing);
                    legs > 0;
                    legs = nextLegs(keptUp, fellBehind, options.legs(), narrowing)) {
                if (fellBehind != Integer.MAX_VALUE) {
                    narrowing++;
                }
                LoadRun.Result step = step(model, settings, loop, legs, window, chunkMs, name, err);
                steps.add(step);
                if (step.keptUp(chunkMs)) {
                    keptUp = legs;
                } else {
                    fellBehind = legs;
                }
            }
            steps.sort((a, b) -> Integer.compare(a.legs(), b.legs()));
            double throughput = Double.NaN;
            if (options.throughputLegs() > 0) {
                err.printf(
                        Locale.ROOT,
                        "%s: throughput, %d legs given %d s of audio each at once...",
                        name,
                        options.throughputLegs(),
                        options.seconds());
                err.flush();
                throughput = LoadRun.throughput(model, settings, loop, options.throughputLegs(), options.seconds());
                err.printf(Locale.ROOT, " %.1f audio seconds per second%n", throughput);
            }
            double meanBatch = model.batcher()
                    .filter(b -> b.runs() > 0)
                    .map(b -> b.chunks() / (double) b.runs())
                    .orElse(Double.NaN);
            return new ModelReport(
                    model.directory(), name, batched, chunkMs, steps, keptUp, options.legs(), throughput, meanBatch);
        }
    }

    /**
     * The next number of legs to try, 0 to stop: doubling up to {@code maxLegs} until a step falls behind,
     * then halving the gap to the last step that kept up, at most {@link #MAX_REFINEMENTS} times.
     */
    private static int nextLegs(int keptUp, int fellBehind, int maxLegs, int narrowing) {
        if (fellBehind == Integer.MAX_VALUE) {
            return keptUp >= maxLegs ? 0 : Math.min(Math.max(1, 2 * keptUp), maxLegs);
        }
        boolean closeEnough = fellBehind - keptUp <= Math.max(1, keptUp / 8);
        return narrowing >= MAX_REFINEMENTS || closeEnough ? 0 : (keptUp + fellBehind) / 2;
    }

    private static LoadRun.Result step(
            AsrModel model,
            ServiceSettings settings,
            PcmAudio loop,
            int legs,
            Duration window,
            double chunkMs,
            String name,
            PrintStream err)
            throws InterruptedException {
        err.printf(Locale.ROOT, "%s: %d legs for %d s...", name, legs, window.toSeconds());
        err.flush();
        LoadRun.Result step = LoadRun.run(model, settings, loop, legs, window);
        err.printf(
                Locale.ROOT,
                " chunk latency p95 %.0f ms, %s%n",
                step.latencies().percentileMs(LatencySamples.Kind.CHUNK, 0.95),
                step.keptUp(chunkMs) ? "kept up" : "fell behind");
        return step;
    }

    private static void printTables(List<ModelReport> reports, Options options, PrintStream out) {
        out.println("machine: " + Machine.describe());
        out.printf(Locale.ROOT, "steps of %d s; latencies in ms (p50 / p95)%n", options.seconds());
        for (ModelReport report : reports) {
            LoadRun.Result one = report.steps().get(0);
            LoadRun.Result best = report.best();
            out.println();
            out.printf(
                    Locale.ROOT,
                    "%s (%s): single-leg RTF %.4f; %s legs kept in real time; at %d legs: final %s, "
                            + "first partial %s, heap %.1f MB and RSS %.1f MB per leg, %.0f%% of decoding time outside "
                            + "ONNX Runtime%n",
                    report.name(),
                    report.dir(),
                    one.realTimeFactor(),
                    report.capacity(),
                    best.legs(),
                    pair(best, LatencySamples.Kind.FINAL),
                    pair(best, LatencySamples.Kind.FIRST_PARTIAL),
                    best.heapBytes() / 1e6 / best.legs(),
                    best.rssBytes() / 1e6 / best.legs(),
                    100 * outsideOnnx(best));
            if (Double.isFinite(report.throughput())) {
                out.printf(
                        Locale.ROOT,
                        "throughput: %.1f audio seconds per second with %d legs given their audio at once%n",
                        report.throughput(),
                        options.throughputLegs());
            }
            if (Double.isFinite(report.meanBatch())) {
                out.printf(Locale.ROOT, "batches: %.1f chunks per encoder run on average%n", report.meanBatch());
            }
            out.printf(
                    Locale.ROOT,
                    "%6s %8s %13s %13s %15s %15s %7s %9s%n",
                    "legs",
                    "RTF",
                    "chunk",
                    "partial",
                    "first partial",
                    "final",
                    "finals",
                    "kept up");
            for (LoadRun.Result s : report.steps()) {
                out.printf(
                        Locale.ROOT,
                        "%6d %8.4f %13s %13s %15s %15s %7d %9s%n",
                        s.legs(),
                        s.realTimeFactor(),
                        pair(s, LatencySamples.Kind.CHUNK),
                        pair(s, LatencySamples.Kind.PARTIAL),
                        pair(s, LatencySamples.Kind.FIRST_PARTIAL),
                        pair(s, LatencySamples.Kind.FINAL),
                        s.finals(),
                        s.keptUp(report.chunkMs()) ? "yes" : "no");
            }
        }
    }

    private static String pair(LoadRun.Result step, LatencySamples.Kind kind) {
        return String.format(
                Locale.ROOT,
                "%.0f / %.0f",
                step.latencies().percentileMs(kind, 0.5),
                step.latencies().percentileMs(kind, 0.95));
    }

    private static double outsideOnnx(LoadRun.Result step) {
        return step.decodeSeconds() > 0 ? Math.max(0, 1 - step.onnxSeconds() / step.decodeSeconds()) : Double.NaN;
    }

    /**
     * One object per model: its figures measured batched (or the one way it was measured), each way's
     * figures under {@code runs}, and {@code throughput_batched} / {@code throughput_unbatched} side by side.
     */
    private static JsonObject json(List<ModelReport> reports, PcmAudio loop, Options options) {
        Map<Path, List<ModelReport>> byModel = new LinkedHashMap<>();
        reports.forEach(
                r -> byModel.computeIfAbsent(r.dir(), k -> new ArrayList<>()).add(r));
        JsonArray models = new JsonArray();
        for (List<ModelReport> ways : byModel.values()) {
            JsonArray runs = new JsonArray();
            ways.forEach(r -> runs.add(runJson(r)));
            ModelReport main =
                    ways.stream().filter(ModelReport::batched).findFirst().orElse(ways.get(0));
            JsonObject model = runJson(main);
            for (boolean batched : List.of(true, false)) {
                Object throughput = ways.stream()
                        .filter(r -> r.batched() == batched)
                        .findFirst()
                        .map(r -> number(r.throughput()))
                        .orElse(null);
                model.put(batched ? "throughput_batched" : "throughput_unbatched", throughput);
            }
            models.add(model.put("throughput_legs", options.throughputLegs()).put("runs", runs));
        }
        return new JsonObject()
                .put("machine", Machine.describe())
                .put("audio_seconds_per_loop", loop.durationSeconds())
                .put("step_seconds", options.seconds())
                .put("models", models);
    }

    private static JsonObject runJson(ModelReport report) {
        JsonArray steps = new JsonArray();
        report.steps().forEach(s -> steps.add(stepJson(s, report.chunkMs())));
        JsonObject best = steps.getJsonObject(report.steps().indexOf(report.best()));
        JsonObject run = new JsonObject()
                .put("model", report.dir().toString())
                .put("name", report.name())
                .put("batching", report.batched())
                .put("chunk_ms", report.chunkMs())
                .put("rtf", number(report.steps().get(0).realTimeFactor()))
                .put("max_realtime_legs", report.maxRealtimeLegs())
                .put("legs_tried", report.legsTried())
                .put("at_legs", report.best().legs())
                .put("throughput", number(report.throughput()))
                .put("mean_batch", number(report.meanBatch()));
        for (String key : AT_CAPACITY) {
            run.put(key, best.getValue(key));
        }
        return run.put("steps", steps);
    }

    private static JsonObject stepJson(LoadRun.Result s, double chunkMs) {
        return new JsonObject()
                .put("legs", s.legs())
                .put("rtf", number(s.realTimeFactor()))
                .put("kept_up", s.keptUp(chunkMs))
                .put("chunk_latency_p95_ms", ms(s, LatencySamples.Kind.CHUNK, 0.95))
                .put("partial_latency_p95_ms", ms(s, LatencySamples.Kind.PARTIAL, 0.95))
                .put("first_partial_latency_p50_ms", ms(s, LatencySamples.Kind.FIRST_PARTIAL, 0.5))
                .put("first_partial_latency_p95_ms", ms(s, LatencySamples.Kind.FIRST_PARTIAL, 0.95))
                .put("final_latency_p50_ms", ms(s, LatencySamples.Kind.FINAL, 0.5))
                .put("final_latency_p95_ms", ms(s, LatencySamples.Kind.FINAL, 0.95))
                .put("finals", s.finals())
                .put("partials_skipped", s.partialsSkipped())
                .put("frames_dropped", s.framesDropped())
                .put("leg_errors", s.legErrors())
                .put("heap_mb_per_leg", number(s.heapBytes() / 1e6 / s.legs()))
                .put("rss_mb_per_leg", number(s.rssBytes() / 1e6 / s.legs()))
                .put("outside_onnx_share", number(outsideOnnx(s)));
    }

    private static Object ms(LoadRun.Result step, LatencySamples.Kind kind, double q) {
        return number(step.latencies().percentileMs(kind, q));
    }

    /** JSON has no NaN: a figure without samples is null. */
    private static Object number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
