package io.captioner.asr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captioner.asr.AsrModel;
import io.captioner.asr.AsrResult;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.ScoredHypothesis;
import io.captioner.asr.StreamingRecognizer;
import io.captioner.asr.audio.PcmAudio;
import io.captioner.asr.audio.WavReader;
import io.captioner.asr.model.ModelLoadException;
import io.captioner.asr.search.LanguageModelFusion;
import io.captioner.asr.search.TimedWord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code transcribe [options] INPUT...}: streams each input (a wav file, or a Kaldi {@code wav.scp} of
 * {@code id path} lines with paths relative to the scp's folder) through the recognizer in 100 ms pieces, as a
 * call would arrive, and prints {@code id<TAB>text} per utterance (Kaldi {@code text} format; segments of one
 * input joined by a space), or with {@code --json} every partial and final as a JSON line. The real-time
 * factor goes to stderr. Exit status: 0 all inputs transcribed, 1 some input failed, 2 usage or model error.
 */
@Command(
        name = "transcribe",
        sortOptions = false,
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "Transcribe wav files or a Kaldi wav.scp with a model.",
            "",
            "Each input is streamed in 100 ms pieces as a call arrives; prints 'id<TAB>text' per input (or every"
                    + " partial and final as JSON), the real-time factor on stderr. Exit status: 0 all inputs"
                    + " transcribed, 1 some input failed, 2 usage or model error."
        })
public final class TranscribeCommand implements Callable<Integer> {
    public static final String DEFAULT_MODEL = "models/u2pp-moe-telephony";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "model directory (default: " + DEFAULT_MODEL + " under -Dcaptioner.home, or the working directory)")
    private Path model;

    @Mixin
    private DecodingOptions decoding;

    @Option(names = "--hotwords", paramLabel = "FILE", description = "phrases to boost, one per line")
    private Path hotwords;

    @Option(
            names = "--lm",
            paramLabel = "FILE",
            description = "an ARPA word language model (plain or gzipped); default: the model directory's lm.arpa[.gz]")
    private Path lm;

    @Option(names = "--no-lm", description = "decode without a language model")
    private boolean noLm;

    @Option(names = "--lm-weight", paramLabel = "W", description = "LM weight in the prefix search")
    private Double lmWeight;

    @Option(names = "--word-bonus", paramLabel = "B", description = "score added per word")
    private Double wordBonus;

    @Option(names = "--unknown-word-penalty", paramLabel = "P", description = "LM score of a word it does not know")
    private Double unknownWordPenalty;

    @Option(names = "--lm-rescoring-weight", paramLabel = "W", description = "LM weight in the rescoring")
    private Double lmRescoringWeight;

    @Option(names = "--itn", description = "write numbers, times and amounts as digits")
    private boolean itn;

    @Option(names = "--json", description = "every partial and final as a JSON line")
    private boolean json;

    @Parameters(
            paramLabel = "INPUT",
            arity = "1..*",
            description = "a .wav file or a Kaldi wav.scp ('id path' per line; relative paths from the scp's folder)")
    private List<String> inputs;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public TranscribeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new TranscribeCommand(out, err))
                .setOverwrittenOptionsAllowed(true) // the last --beam wins, as in most tools
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        if (noLm && lm != null) {
            throw new ParameterException(spec.commandLine(), "--lm and --no-lm contradict each other");
        }
        DecodeOptions.Builder builder = decoding.builder();
        Path modelDir = model != null ? model : defaultModel();
        List<String[]> expanded;
        DecodeOptions options;
        try {
            expanded = expandInputs(inputs);
            options = options(builder);
        } catch (IOException | IllegalArgumentException e) {
            err.println("transcribe: " + e.getMessage());
            return 2;
        }
        AsrModel.LanguageModelSource source = noLm
                ? AsrModel.LanguageModelSource.NONE
                : lm != null ? AsrModel.LanguageModelSource.file(lm) : AsrModel.LanguageModelSource.MODEL_DIRECTORY;
        try (AsrModel asr = AsrModel.load(modelDir, 1, source)) {
            err.println("model: " + asr.describe());
            try {
                asr.newRecognizer(options, "options-check");
            } catch (IllegalArgumentException e) {
                err.println("transcribe: " + e.getMessage());
                return 2;
            }
            return transcribeAll(asr, options, expanded, json, out, err);
        } catch (ModelLoadException e) {
            err.println("transcribe: cannot load model: " + e.getMessage());
            return 2;
        }
    }

    private DecodeOptions options(DecodeOptions.Builder o) throws IOException {
        o.inverseTextNormalization(itn);
        if (hotwords != null) {
            if (!Files.isRegularFile(hotwords)) {
                throw new IOException(hotwords + ": hotwords file not found");
            }
            List<String> phrases = Files.readAllLines(hotwords, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
            o.hotwords(phrases);
        }
        LanguageModelFusion.Weights w = LanguageModelFusion.Weights.DEFAULTS;
        o.languageModel(new LanguageModelFusion.Weights(
                lmWeight != null ? lmWeight : w.weight(),
                wordBonus != null ? wordBonus : w.wordBonus(),
                unknownWordPenalty != null ? unknownWordPenalty : w.unknownWordPenalty(),
                lmRescoringWeight != null ? lmRescoringWeight : w.rescoringWeight()));
        return o.build();
    }

    private static int transcribeAll(
            AsrModel model,
            DecodeOptions options,
            List<String[]> inputs,
            boolean json,
            PrintStream out,
            PrintStream err) {
        int failures = 0;
        double totalAudio = 0;
        long totalNanos = 0;
        for (String[] input : inputs) {
            String id = input[0];
            Path file = Path.of(input[1]);
            try {
                PcmAudio audio = WavReader.read(file);
                long start = System.nanoTime();
                List<AsrResult> results = transcribe(model, options, audio, id);
                long nanos = System.nanoTime() - start;
                totalNanos += nanos;
                totalAudio += audio.durationSeconds();
                if (json) {
                    for (AsrResult r : results) {
                        out.println(toJson(id, r));
                    }
                } else {
                    out.println(id + "\t" + transcript(results));
                }
                out.flush();
                err.printf(
                        Locale.ROOT,
                        "%s: %.2f s audio, %.3f s decoding, RTF %.4f%n",
                        id,
                        audio.durationSeconds(),
                        nanos / 1e9,
                        nanos / 1e9 / Math.max(audio.durationSeconds(), 1e-9));
            } catch (IOException | RuntimeException e) {
                failures++;
                err.println("transcribe: " + id + ": " + e.getMessage());
            }
        }
        if (totalAudio > 0) {
            err.printf(
                    Locale.ROOT,
                    "total: %d input(s), %.2f s audio, %.3f s decoding, RTF %.4f, language model %s%n",
                    inputs.size(),
                    totalAudio,
                    totalNanos / 1e9,
                    totalNanos / 1e9 / totalAudio,
                    model.languageModel() == null ? "off" : "on");
        }
        return failures == 0 ? 0 : 1;
    }

    /** The finals' texts, joined by a space (what a Kaldi {@code text} line holds). */
    public static String transcript(List<AsrResult> results) {
        return String.join(
                " ",
                results.stream()
                        .filter(AsrResult::isFinal)
                        .map(AsrResult::text)
                        .filter(t -> !t.isEmpty())
                        .toList());
    }

    /** Streams {@code audio} through a new recognizer in 100 ms pieces, as a call arrives; every result. */
    public static List<AsrResult> transcribe(AsrModel model, DecodeOptions options, PcmAudio audio, String id) {
        StreamingRecognizer recognizer = model.newRecognizer(options, id);
        int piece = Math.max(1, audio.sampleRate() / 10);
        short[] samples = audio.samples();
        List<AsrResult> results = new ArrayList<>();
        for (int start = 0; start < samples.length; start += piece) {
            results.addAll(recognizer.acceptAudio(
                    Arrays.copyOfRange(samples, start, Math.min(samples.length, start + piece)), audio.sampleRate()));
        }
        results.addAll(recognizer.finish());
        return results;
    }

    static String toJson(String id, AsrResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("type", r.isFinal() ? "final" : "partial");
        node.put("segment", r.segment());
        node.put("text", r.text());
        node.put("start_ms", r.startMs());
        node.put("end_ms", r.endMs());
        node.put("confidence", round(r.confidence()));
        if (r.isFinal()) {
            node.put("end_reason", r.endReason().name().toLowerCase(Locale.ROOT));
        } else {
            node.put("stable_prefix", r.stablePrefixLength());
        }
        ArrayNode words = node.putArray("words");
        for (TimedWord w : r.words()) {
            ObjectNode word = words.addObject();
            word.put("text", w.text());
            word.put("start_ms", w.startMs());
            word.put("end_ms", w.endMs());
            word.put("confidence", round(w.confidence()));
        }
        if (r.isFinal()) {
            ArrayNode nbest = node.putArray("nbest");
            for (ScoredHypothesis h : r.nbest()) {
                ObjectNode hyp = nbest.addObject();
                hyp.put("text", h.text());
                hyp.put("ctc_score", round(h.ctcScore()));
                hyp.put("attention_score", round(h.attentionScore()));
                hyp.put("lm_score", round(h.lmScore()));
                hyp.put("final_score", round(h.finalScore()));
            }
        }
        return node.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** {@code models/u2pp-moe-telephony} under {@code -Dcaptioner.home}, else under the working directory. */
    static Path defaultModel() {
        String home = System.getProperty("captioner.home");
        return (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve(DEFAULT_MODEL);
    }

    /** Each input as {id, path}: a wav is its own id (file stem); a wav.scp lists them. */
    static List<String[]> expandInputs(List<String> inputs) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String input : inputs) {
            Path path = Path.of(input);
            if (!Files.isRegularFile(path)) {
                throw new IOException(input + ": no such file");
            }
            if (path.getFileName().toString().endsWith(".scp")) {
                Path base = path.toAbsolutePath().getParent();
                List<String> lines;
                try {
                    lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new IOException(path + ": not UTF-8 text, so not a wav.scp", e);
                }
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] parts = line.split("[ \t]+", 2);
                    if (parts.length != 2) {
                        throw new IOException(path + ":" + (i + 1) + ": expected 'id path', got '" + line + "'");
                    }
                    try {
                        out.add(new String[] {
                            parts[0], base.resolve(parts[1].strip()).normalize().toString()
                        });
                    } catch (java.nio.file.InvalidPathException e) {
                        throw new IOException(path + ":" + (i + 1) + ": not a file path: " + e.getMessage(), e);
                    }
                }
            } else {
                String name = path.getFileName().toString();
                int dot = name.lastIndexOf('.');
                out.add(new String[] {dot > 0 ? name.substring(0, dot) : name, path.toString()});
            }
        }
        return out;
    }
}
