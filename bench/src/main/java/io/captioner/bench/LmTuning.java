package io.captioner.bench;

import io.captioner.asr.AsrModel;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.WavReader;
import io.captioner.asr.cli.DecodingOptions;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Decodes Kaldi-style data sets with several language-model weightings, as the product decodes a
 * call (streaming, 100 ms pieces, endpoints, attention rescoring), and writes one hypothesis file
 * per weighting and set ({@code OUT/NAME/SET.txt}, {@code id<TAB>text}) for scoring with
 * {@code captrain.score}. The model and the LM are loaded once; weightings run in parallel.
 */
@Command(
        name = "LmTuning",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = "Decode Kaldi-style data sets under several LM weightings, as the product decodes a call;"
                + " one hypothesis file per weighting and set (OUT/NAME/SET.txt).")
public final class LmTuning implements Callable<Integer> {
    private record Setting(String name, LanguageModelFusion.Weights weights) {}

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "model directory")
    private Path modelDir;

    @Option(names = "--lm", paramLabel = "ARPA", required = true, description = "the word language model")
    private Path lm;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the hypotheses go")
    private Path out;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "weightings and sets decoded at once (default ${DEFAULT-VALUE})")
    private int threads = 2;

    @Mixin
    private DecodingOptions decoding;

    @Option(
            names = "--setting",
            paramLabel = "NAME=off|default|WEIGHT,BONUS,PENALTY,RESCORING",
            required = true,
            converter = SettingConverter.class,
            description = "a weighting to decode with (repeatable)")
    private List<Setting> settings;

    @Parameters(paramLabel = "DATA_DIR", arity = "1..*", description = "Kaldi-style data sets (wav.scp)")
    private List<Path> data;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LmTuning()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DecodeOptions base = decoding.builder().build();
        try (AsrModel withLm = AsrModel.load(modelDir, 1, AsrModel.LanguageModelSource.file(lm));
                AsrModel withoutLm = AsrModel.load(modelDir, 1, AsrModel.LanguageModelSource.NONE)) {
            System.err.println("model: " + withLm.describe());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> jobs = new ArrayList<>();
            for (Setting setting : settings) {
                AsrModel model = setting.weights() == null ? withoutLm : withLm;
                DecodeOptions options = setting.weights() == null
                        ? base
                        : base.toBuilder().languageModel(setting.weights()).build();
                for (Path set : data) {
                    Path file = out.resolve(setting.name()).resolve(set.getFileName() + ".txt");
                    jobs.add(pool.submit(() -> {
                        decodeSet(model, options, set, file);
                        return null;
                    }));
                }
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
        }
        return 0;
    }

    private static final class SettingConverter implements CommandLine.ITypeConverter<Setting> {
        @Override
        public Setting convert(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.TypeConversionException("expected NAME=off, NAME=default or NAME=w,b,p,r");
            }
            return setting(spec.substring(0, eq), spec.substring(eq + 1));
        }
    }

    private static Setting setting(String name, String value) {
        if (value.equals("off")) {
            return new Setting(name, null);
        }
        if (value.equals("default")) {
            return new Setting(name, LanguageModelFusion.Weights.DEFAULTS);
        }
        double[] v;
        try {
            v = Arrays.stream(value.split(",")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            v = new double[0];
        }
        if (v.length != 4) {
            throw new CommandLine.TypeConversionException("expected off, default or 4 numbers w,b,p,r");
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
