package io.captioner.bench;

import io.captioner.asr.AsrModel;
import io.captioner.asr.AsrResult;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.Machine;
import io.captioner.asr.StreamingRecognizer;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.WavReader;
import io.captioner.asr.model.RunStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Real-time factor of streaming recognition for one or more model directories on the same audio,
 * side by side (e.g. dense vs MoE), and the share of wall time spent inside ONNX Runtime's run
 * versus the Java pipeline (resampling, fbank, chunking, prefix beam search, rescoring bookkeeping).
 * The audio (default: the fixture's 8 kHz telephone-band sentence, so resampling is included) is
 * repeated N times into one stream and fed in 100 ms pieces as a call would arrive; K streams run
 * concurrently on one shared model; the best of R rounds is reported after one warm-up round. A
 * model directory with a word language model ({@code lm.arpa[.gz]}) is measured with it ("+LM")
 * and without it.
 */
@Command(
        name = "RtfBenchmark",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = "Real-time factor of streaming recognition of model directories side by side, and the share"
                + " of the time inside ONNX Runtime.")
public final class RtfBenchmark implements Callable<Integer> {
    @Option(
            names = "--audio",
            paramLabel = "WAV",
            description = "what each stream says (default: the fixtures' 8 kHz sentence)")
    private Path audioFile;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            description = "times the audio repeats in a stream (default ${DEFAULT-VALUE})")
    private int repeat = 10;

    @Option(names = "--chunk-size", paramLabel = "N", description = "decoding chunk (default ${DEFAULT-VALUE})")
    private int chunkSize = 16;

    @Option(
            names = "--streams",
            paramLabel = "K",
            description = "concurrent streams on one model (default ${DEFAULT-VALUE})")
    private int streams = 1;

    @Option(
            names = "--rounds",
            paramLabel = "R",
            description = "measured rounds, the best reported (default ${DEFAULT-VALUE})")
    private int rounds = 3;

    @Option(
            names = "--streaming-finals",
            description = "finals rescored from the streaming encoder output (WeNet's way) instead of the"
                    + " default full-context pass; the difference between the two runs is that pass's cost")
    private boolean streamingFinals;

    @Option(
            names = "--rescoring-margin",
            paramLabel = "NATS",
            description = "hypotheses within this of the best CTC + LM score are rescored by the attention decoder"
                    + " (default: the runtime's, ${DEFAULT-VALUE}; Infinity: all)")
    private double rescoringMargin = DecodeOptions.DEFAULT_RESCORING_MARGIN;

    @Parameters(paramLabel = "MODEL_DIR", arity = "1..*", description = "model directories")
    private List<Path> models;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RtfBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path audioFile = this.audioFile;
        if (audioFile == null) {
            audioFile = Path.of(System.getProperty("shared.dir", "../shared"), "fixtures/wenet/audio/speech_8k.wav");
        }
        PcmAudio clip = WavReader.read(audioFile);
        short[] stream = new short[clip.samples().length * repeat];
        for (int r = 0; r < repeat; r++) {
            System.arraycopy(clip.samples(), 0, stream, r * clip.samples().length, clip.samples().length);
        }
        PcmAudio audio = new PcmAudio(clip.sampleRate(), stream);

        System.out.println("machine: " + Machine.describe());
        System.out.printf(
                Locale.ROOT,
                "audio: %s x%d = %.1f s at %d Hz per stream; %d concurrent stream(s); chunk %d; "
                        + "best of %d rounds after 1 warm-up%n",
                audioFile,
                repeat,
                audio.durationSeconds(),
                audio.sampleRate(),
                streams,
                chunkSize,
                rounds);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-40s %9s %8s %8s %8s %8s %8s %8s %7s %7s%n",
                "model",
                "params MB",
                "wall s",
                "RTF",
                "enc s",
                "ctc s",
                "dec s",
                "java s",
                "ORT %",
                "java %");
        for (Path dir : models) {
            // a model directory with a word LM is measured with it and without it, side by side
            for (AsrModel.LanguageModelSource lm :
                    List.of(AsrModel.LanguageModelSource.MODEL_DIRECTORY, AsrModel.LanguageModelSource.NONE)) {
                try (AsrModel model = AsrModel.load(dir, 1, lm)) {
                    if (lm.enabled() && model.languageModel() == null) {
                        continue; // no LM in the directory: the run without one below covers it
                    }
                    measureAndPrint(
                            dir,
                            model,
                            chunkSize,
                            streamingFinals,
                            rescoringMargin,
                            audio,
                            streams,
                            rounds,
                            model.languageModel() == null ? "" : " +LM");
                }
            }
        }
        System.out.println();
        System.out.println(
                "RTF = wall time / audio time per stream (per core when streams > cores); ORT % = time inside "
                        + "OrtSession.run (encoder + CTC + decoder); java % = the rest (resampling, fbank, chunking, search, "
                        + "rescoring bookkeeping)");
        return 0;
    }

    private static void measureAndPrint(
            Path dir,
            AsrModel model,
            int chunkSize,
            boolean streamingFinals,
            double rescoringMargin,
            PcmAudio audio,
            int streams,
            int rounds,
            String label)
            throws Exception {
        DecodeOptions options = DecodeOptions.builder()
                .chunkSize(model.metadata().streaming() ? chunkSize : 0)
                .fullContextFinals(!streamingFinals)
                .rescoringMargin(rescoringMargin)
                .build();
        Measurement best = null;
        for (int round = 0; round <= rounds; round++) {
            Measurement m = measure(model, options, audio, streams);
            if (round > 0 && (best == null || m.wallNanos < best.wallNanos)) {
                best = m;
            }
        }
        double wall = best.wallNanos / 1e9;
        double ort = (best.encoderNanos + best.ctcNanos + best.decoderNanos) / 1e9;
        double threads = Math.min(streams, Runtime.getRuntime().availableProcessors());
        // with K streams on T cores the summed in-ORT time is spread over min(K, T) threads
        double ortWall = ort / threads;
        double javaWall = Math.max(0, wall - ortWall);
        System.out.printf(
                Locale.ROOT,
                "%-40s %9.1f %8.2f %8.4f %8.2f %8.2f %8.2f %8.2f %6.1f%% %6.1f%%%n",
                shortName(dir) + label,
                megabytes(dir),
                wall,
                wall / (audio.durationSeconds() * streams / threads),
                best.encoderNanos / 1e9,
                best.ctcNanos / 1e9,
                best.decoderNanos / 1e9,
                javaWall,
                100 * ortWall / wall,
                100 * javaWall / wall);
        System.out.println(
                "    " + model.metadata().describe() + "; last final: \"" + abbreviate(best.lastText) + "\"");
    }

    private record Measurement(long wallNanos, long encoderNanos, long ctcNanos, long decoderNanos, String lastText) {}

    private static Measurement measure(AsrModel model, DecodeOptions options, PcmAudio audio, int streams)
            throws Exception {
        RunStats stats = model.stats();
        stats.reset();
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            long start = System.nanoTime();
            List<Future<String>> futures = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                futures.add(pool.submit(() -> stream(model, options, audio)));
            }
            String last = "";
            for (Future<String> f : futures) {
                last = f.get();
            }
            long wall = System.nanoTime() - start;
            return new Measurement(wall, stats.encoderNanos(), stats.ctcNanos(), stats.decoderNanos(), last);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String stream(AsrModel model, DecodeOptions options, PcmAudio audio) {
        StreamingRecognizer recognizer = model.newRecognizer(options);
        int piece = audio.sampleRate() / 10;
        short[] samples = audio.samples();
        String last = "";
        for (int start = 0; start < samples.length; start += piece) {
            for (AsrResult r : recognizer.acceptAudio(
                    Arrays.copyOfRange(samples, start, Math.min(samples.length, start + piece)), audio.sampleRate())) {
                if (r.isFinal()) {
                    last = r.text();
                }
            }
        }
        for (AsrResult r : recognizer.finish()) {
            if (r.isFinal()) {
                last = r.text();
            }
        }
        return last;
    }

    private static double megabytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            // encoder_batch.onnx reads its weights from encoder.onnx: not counted twice
            long bytes = files.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .filter(p -> !p.getFileName().toString().equals("encoder_batch.onnx"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
            return bytes / 1e6;
        }
    }

    private static String shortName(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        int n = abs.getNameCount();
        return n >= 2 ? abs.getName(n - 2) + "/" + abs.getName(n - 1) : abs.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
