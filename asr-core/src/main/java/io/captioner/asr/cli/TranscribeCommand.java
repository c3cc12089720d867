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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code transcribe [--model DIR] [--chunk-size N] [--left-chunks N] [--full | --streaming-finals] [--beam N]
 * [--final-beam N] [--ctc-weight W] [--reverse-weight W] [--hotwords FILE] [--lm FILE | --no-lm] [--lm-weight W]
 * [--word-bonus B] [--unknown-word-penalty P] [--lm-rescoring-weight W] [--itn] [--json] INPUT...}
 * <p>Streams each input (a wav file, or a Kaldi {@code wav.scp} of {@code id path} lines with paths
 * relative to the scp's folder) through the recognizer in 100 ms pieces, as a call would arrive,
 * and prints {@code id<TAB>text} per utterance (Kaldi {@code text} format; segments of one input
 * joined by a space), or with {@code --json} every partial and final as a JSON line. The real-time
 * factor goes to stderr. Exit status: 0 all inputs transcribed, 1 some input failed, 2 usage or model
 * error.
 */
public final class TranscribeCommand {
    public static final String DEFAULT_MODEL = "models/u2pp-moe-telephony";
    static final String USAGE =
            "usage: transcribe [--model DIR] [--chunk-size N] [--left-chunks N] [--full | --streaming-finals] [--beam N]"
                    + " [--final-beam N] [--ctc-weight W] [--reverse-weight W] [--hotwords FILE] [--lm FILE | --no-lm] [--lm-weight W]"
                    + " [--word-bonus B] [--unknown-word-penalty P] [--lm-rescoring-weight W] [--itn] [--json] INPUT...\n"
                    + "  INPUT: a .wav file or a Kaldi wav.scp ('id path' per line; relative paths from the scp's folder)\n"
                    + "  --model defaults to " + DEFAULT_MODEL + " under -Dcaptioner.home (or the working directory)\n"
                    + "  --lm: an ARPA word language model (plain or gzipped); default: the model directory's lm.arpa[.gz]\n"
                    + "  --no-lm: decode without a language model\n"
                    + "  --full: each input in one full-context encoder run (no partials); --streaming-finals: finals rescore\n"
                    + "    the streaming encoder output as WeNet does, instead of the utterance encoded again in full context\n"
                    + "  --beam: prefixes the search keeps; --final-beam: the same for the final's full-context pass";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscribeCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("transcribe: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (a.help) {
            out.println(USAGE);
            return 0;
        }
        Path modelDir = a.model != null ? a.model : defaultModel();
        List<String[]> inputs;
        DecodeOptions options;
        try {
            inputs = expandInputs(a.inputs);
            options = a.options();
        } catch (IOException | IllegalArgumentException e) {
            err.println("transcribe: " + e.getMessage());
            return 2;
        }
        if (a.noLm && a.lm != null) {
            err.println("transcribe: --lm and --no-lm contradict each other");
            return 2;
        }
        AsrModel.LanguageModelSource lm = a.noLm
                ? AsrModel.LanguageModelSource.NONE
                : a.lm != null ? AsrModel.LanguageModelSource.file(a.lm) : AsrModel.LanguageModelSource.MODEL_DIRECTORY;
        try (AsrModel model = AsrModel.load(modelDir, 1, lm)) {
            err.println("model: " + model.describe());
            try {
                model.newRecognizer(options, "options-check");
            } catch (IllegalArgumentException e) {
                err.println("transcribe: " + e.getMessage());
                return 2;
            }
            return transcribeAll(model, options, inputs, a.json, out, err);
        } catch (ModelLoadException e) {
            err.println("transcribe: cannot load model: " + e.getMessage());
            return 2;
        }
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

    private static final class Arguments {
        Path model;
        Integer chunkSize;
        Integer leftChunks;
        boolean full;
        boolean streamingFinals;
        Integer beam;
        Integer finalBeam;
        Double ctcWeight;
        Double reverseWeight;
        Path hotwords;
        Path lm;
        boolean noLm;
        Double lmWeight;
        Double wordBonus;
        Double unknownWordPenalty;
        Double lmRescoringWeight;
        boolean itn;
        boolean json;
        boolean help;
        final List<String> inputs = new ArrayList<>();

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--model" -> a.model = Path.of(value(args, ++i, arg));
                    case "--chunk-size" -> a.chunkSize = integer(args, ++i, arg);
                    case "--left-chunks" -> a.leftChunks = integer(args, ++i, arg);
                    case "--full" -> a.full = true;
                    case "--streaming-finals" -> a.streamingFinals = true;
                    case "--beam" -> a.beam = integer(args, ++i, arg);
                    case "--final-beam" -> a.finalBeam = integer(args, ++i, arg);
                    case "--ctc-weight" -> a.ctcWeight = number(args, ++i, arg);
                    case "--reverse-weight" -> a.reverseWeight = number(args, ++i, arg);
                    case "--hotwords" -> a.hotwords = Path.of(value(args, ++i, arg));
                    case "--lm" -> a.lm = Path.of(value(args, ++i, arg));
                    case "--no-lm" -> a.noLm = true;
                    case "--lm-weight" -> a.lmWeight = number(args, ++i, arg);
                    case "--word-bonus" -> a.wordBonus = number(args, ++i, arg);
                    case "--unknown-word-penalty" -> a.unknownWordPenalty = number(args, ++i, arg);
                    case "--lm-rescoring-weight" -> a.lmRescoringWeight = number(args, ++i, arg);
                    case "--itn" -> a.itn = true;
                    case "--json" -> a.json = true;
                    case "-h", "--help" -> a.help = true;
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        a.inputs.add(arg);
                    }
                }
            }
            if (a.inputs.isEmpty() && !a.help) {
                throw new IllegalArgumentException("no INPUT given");
            }
            return a;
        }

        DecodeOptions options() throws IOException {
            if (full && streamingFinals) {
                throw new IllegalArgumentException("--full and --streaming-finals exclude each other");
            }
            DecodeOptions.Builder o = DecodeOptions.builder()
                    .fullContext(full)
                    .fullContextFinals(!streamingFinals)
                    .inverseTextNormalization(itn);
            if (chunkSize != null) {
                if (chunkSize <= 0) {
                    throw new IllegalArgumentException("--chunk-size must be positive (use --full for full context)");
                }
                o.chunkSize(chunkSize);
            }
            if (leftChunks != null) {
                o.leftChunks(leftChunks);
            }
            if (beam != null) {
                o.beam(beam);
            }
            if (finalBeam != null) {
                o.finalBeam(finalBeam);
            }
            if (ctcWeight != null) {
                o.ctcWeight(ctcWeight);
            }
            if (reverseWeight != null) {
                o.reverseWeight(reverseWeight);
            }
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

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int integer(String[] args, int i, String option) {
            String v = value(args, i, option);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects an integer, got '" + v + "'");
            }
        }

        private static double number(String[] args, int i, String option) {
            String v = value(args, i, option);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects a number, got '" + v + "'");
            }
        }
    }
}
