package io.captioner.bench;

import io.captioner.asr.AsrModel;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.WavReader;
import io.captioner.asr.cli.TranscribeCommand;
import io.captioner.asr.search.LanguageModelFusion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes Kaldi-style data sets with several language-model weightings, as the product decodes a
 * call (streaming, 100 ms pieces, endpoints, attention rescoring), and writes one hypothesis file
 * per weighting and set ({@code OUT/NAME/SET.txt}, {@code id<TAB>text}) for scoring with
 * {@code captrain.score}. The model and the LM are loaded once; weightings run in parallel.
 * <pre>
 * LmTuning --model DIR --lm ARPA --out DIR [--threads N] [--chunk-size N | --full] [--streaming-finals] [--beam N] [--final-beam N]
 *          --setting NAME=off|default|WEIGHT,BONUS,PENALTY,RESCORING ... DATA_DIR...
 * </pre>
 */
public final class LmTuning {
    private record Setting(String name, LanguageModelFusion.Weights weights) {}

    private LmTuning() {}

    public static void main(String[] args) throws Exception {
        Path modelDir = null;
        Path lm = null;
        Path out = null;
        int threads = 2;
        int chunkSize = 0;
        int beam = 0;
        int finalBeam = 0;
        double ctcWeight = -1;
        boolean full = false;
        boolean streamingFinals = false;
        List<Setting> settings = new ArrayList<>();
        List<Path> data = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> modelDir = Path.of(args[++i]);
                case "--lm" -> lm = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--chunk-size" -> chunkSize = Integer.parseInt(args[++i]);
                case "--full" -> full = true;
                case "--streaming-finals" -> streamingFinals = true;
                case "--beam" -> beam = Integer.parseInt(args[++i]);
                case "--final-beam" -> finalBeam = Integer.parseInt(args[++i]);
                case "--ctc-weight" -> ctcWeight = Double.parseDouble(args[++i]);
                case "--setting" -> settings.add(parseSetting(args[++i]));
                default -> data.add(Path.of(args[i]));
            }
        }
        if (modelDir == null || lm == null || out == null || settings.isEmpty() || data.isEmpty()) {
            System.err.println(
                    "usage: LmTuning --model DIR --lm ARPA --out DIR [--threads N] [--chunk-size N | --full] [--streaming-finals] [--beam N] [--final-beam N] [--ctc-weight W] "
                            + "--setting NAME=off|default|WEIGHT,BONUS,PENALTY,RESCORING ... DATA_DIR...");
            System.exit(2);
        }
        DecodeOptions.Builder options =
                DecodeOptions.builder().fullContext(full).fullContextFinals(!streamingFinals);
        if (chunkSize > 0) {
            options.chunkSize(chunkSize);
        }
        if (beam > 0) {
            options.beam(beam);
        }
        if (finalBeam > 0) {
            options.finalBeam(finalBeam);
        }
        if (ctcWeight >= 0) {
            options.ctcWeight(ctcWeight);
        }
        DecodeOptions base = options.build();
        try (AsrModel withLm = AsrModel.load(modelDir, 1, AsrModel.LanguageModelSource.file(lm));
                AsrModel withoutLm = AsrModel.load(modelDir, 1, AsrModel.LanguageModelSource.NONE)) {
            System.err.println("model: " + withLm.describe());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> jobs = new ArrayList<>();
            for (Setting setting : settings) {
                AsrModel model = setting.weights() == null ? withoutLm : withLm;
                DecodeOptions decoding = setting.weights() == null
                        ? base
                        : base.toBuilder().languageModel(setting.weights()).build();
                for (Path set : data) {
                    Path file = out.resolve(setting.name()).resolve(set.getFileName() + ".txt");
                    jobs.add(pool.submit(() -> {
                        decodeSet(model, decoding, set, file);
                        return null;
                    }));
                }
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
        }
    }

    private static Setting parseSetting(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--setting expects NAME=off, NAME=default or NAME=w,b,p,r, got " + spec);
        }
        String name = spec.substring(0, eq);
        String value = spec.substring(eq + 1);
        if (value.equals("off")) {
            return new Setting(name, null);
        }
        if (value.equals("default")) {
            return new Setting(name, LanguageModelFusion.Weights.DEFAULTS);
        }
        double[] v =
                Arrays.stream(value.split(",")).mapToDouble(Double::parseDouble).toArray();
        if (v.length != 4) {
            throw new IllegalArgumentException("--setting " + spec + ": expected 4 numbers");
        }
        return new Setting(name, new LanguageModelFusion.Weights(v[0], v[1], v[2], v[3]));
    }

    private static void decodeSet(AsrModel model, DecodeOptions options, Path set, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = Files.readAllLines(set.resolve("wav.scp"), StandardCharsets.UTF_8);
        long start = System.nanoTime();
        double audioSeconds = 0;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (String line : lines) {
                String[] parts = line.strip().split("\\s+", 2);
                if (parts.length != 2) {
                    continue;
                }
                PcmAudio audio = WavReader.read(set.resolve(parts[1]));
                audioSeconds += audio.durationSeconds();
                String text =
                        TranscribeCommand.transcript(TranscribeCommand.transcribe(model, options, audio, parts[0]));
                w.println(parts[0] + "\t" + text);
            }
        }
        System.err.printf(
                "%s: %.1f s audio, RTF %.4f%n",
                file, audioSeconds, (System.nanoTime() - start) / 1e9 / Math.max(audioSeconds, 1e-9));
    }
}
