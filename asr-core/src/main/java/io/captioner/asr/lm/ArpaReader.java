package io.captioner.asr.lm;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Parses an ARPA n-gram file: optional text before {@code \data\}, the {@code ngram N=count} lines,
 * one {@code \N-grams:} section per order in increasing order with lines
 * {@code log10-prob w1 … wN [log10-backoff]}, and {@code \end\}. Gzip input is recognised by its
 * magic bytes, whatever the file name. Every malformed line stops loading with an
 * {@link ArpaFormatException} naming the file, the line and what is wrong.
 *
 * <p>Files from pruning tools may hold an n-gram whose context was pruned away; the context is
 * then kept as an entry without a probability of its own (backoff 0), so that scoring stays
 * defined. Not thread-safe; used once per load.
 */
final class ArpaReader {
    private final String source;
    private final Map<String, Integer> wordIds = new HashMap<>();
    private final List<String> words = new ArrayList<>();
    private LongIntHashMap index;
    private int entries;
    private int[] entryWord = new int[1024];
    private int[] entryPrefix = new int[1024];
    private byte[] entryOrder = new byte[1024];
    private float[] entryLogProb = new float[1024];
    private float[] entryBackoff = new float[1024];
    private int lineNo;

    private ArpaReader(String source) {
        this.source = source;
    }

    static NgramLanguageModel read(Path file) throws IOException {
        try (InputStream in = open(file);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            return new ArpaReader(file.toString()).parse(reader);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    NgramLanguageModel parse(BufferedReader reader) throws IOException {
        String line = nextNonEmpty(reader);
        while (line != null && !line.equals("\\data\\")) {
            line = nextNonEmpty(reader); // free text before \data\ is allowed
        }
        if (line == null) {
            throw new ArpaFormatException(source, lineNo, "no \\data\\ section: not an ARPA file");
        }
        List<Long> declared = new ArrayList<>();
        line = nextNonEmpty(reader);
        while (line != null && line.startsWith("ngram ")) {
            declared.add(parseCountLine(line, declared.size() + 1));
            line = nextNonEmpty(reader);
        }
        if (declared.isEmpty()) {
            throw new ArpaFormatException(source, lineNo, "\\data\\ lists no 'ngram N=count' line");
        }
        int order = declared.size();
        long total = declared.stream().mapToLong(Long::longValue).sum();
        index = new LongIntHashMap((int) Math.min(total + 16, 1 << 28));
        long[] counts = new long[order];
        for (int n = 1; n <= order; n++) {
            String header = "\\" + n + "-grams:";
            if (line == null || !line.equals(header)) {
                throw new ArpaFormatException(
                        source,
                        lineNo,
                        "expected " + header + ", got " + (line == null ? "the end of the file" : "'" + line + "'"));
            }
            line = nextNonEmpty(reader);
            while (line != null && !line.startsWith("\\")) {
                addNgram(line, n, order);
                counts[n - 1]++;
                line = nextNonEmpty(reader);
            }
            if (counts[n - 1] != declared.get(n - 1)) {
                throw new ArpaFormatException(
                        source,
                        lineNo,
                        String.format(
                                "\\data\\ declares %d %d-grams but the section holds %d",
                                declared.get(n - 1), n, counts[n - 1]));
            }
        }
        if (line == null || !line.equals("\\end\\")) {
            throw new ArpaFormatException(
                    source,
                    lineNo,
                    "expected \\end\\ after the " + order + "-grams, got "
                            + (line == null ? "the end of the file" : "'" + line + "'"));
        }
        return new NgramLanguageModel(
                source,
                order,
                counts,
                words,
                index,
                entries,
                entryWord,
                entryPrefix,
                entryOrder,
                entryLogProb,
                entryBackoff);
    }

    private String nextNonEmpty(BufferedReader reader) throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return null; // lineNo stays at the last line, which errors about the end then name
            }
            lineNo++;
            line = line.strip();
        } while (line.isEmpty());
        return line;
    }

    private long parseCountLine(String line, int expectedOrder) throws ArpaFormatException {
        String spec = line.substring("ngram ".length()).strip();
        int eq = spec.indexOf('=');
        try {
            if (eq < 0 || Integer.parseInt(spec.substring(0, eq).strip()) != expectedOrder) {
                throw new ArpaFormatException(
                        source, lineNo, "expected 'ngram " + expectedOrder + "=<count>', got '" + line + "'");
            }
            long count = Long.parseLong(spec.substring(eq + 1).strip());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new ArpaFormatException(source, lineNo, "'" + line + "' is not 'ngram N=<count>' with whole numbers");
        }
    }

    private void addNgram(String line, int n, int order) throws ArpaFormatException {
        String[] fields = line.split("\\s+");
        boolean hasBackoff = fields.length == n + 2;
        if (fields.length != n + 1 && !hasBackoff) {
            throw new ArpaFormatException(
                    source,
                    lineNo,
                    String.format(
                            "a %d-gram line needs a log-probability, %d words and an optional backoff, got %d fields: '%s'",
                            n, n, fields.length, line));
        }
        if (hasBackoff && n == order) {
            throw new ArpaFormatException(
                    source,
                    lineNo,
                    "a backoff weight on a " + n + "-gram, the highest order, where none can apply: '" + line + "'");
        }
        float logProb = parseLog10(fields[0], "log-probability", line);
        if (logProb > 0) {
            throw new ArpaFormatException(
                    source, lineNo, "log10 probability " + fields[0] + " is above 0: '" + line + "'");
        }
        float backoff = hasBackoff ? parseLog10(fields[n + 1], "backoff", line) : 0f;
        int prefix = NgramLanguageModel.EMPTY_CONTEXT;
        for (int i = 0; i < n - 1; i++) {
            prefix = findOrImplyContext(prefix, knownWord(fields[1 + i], line), i + 1);
        }
        int word = n == 1
                ? wordIds.computeIfAbsent(fields[1], w -> {
                    words.add(w);
                    return words.size() - 1;
                })
                : knownWord(fields[n], line);
        long key = NgramLanguageModel.key(prefix, word);
        // contexts are only implied for lower orders, whose sections are already read: any entry is a repeat
        if (index.get(key) >= 0) {
            throw new ArpaFormatException(source, lineNo, "n-gram listed twice: '" + line + "'");
        }
        newEntry(key, word, prefix, n, (float) (logProb * NgramLanguageModel.LN_10), (float)
                (backoff * NgramLanguageModel.LN_10));
    }

    /** The id of a word of a higher-order n-gram, which its unigram section must have defined. */
    private int knownWord(String word, String line) throws ArpaFormatException {
        Integer id = wordIds.get(word);
        if (id == null) {
            throw new ArpaFormatException(source, lineNo, "word '" + word + "' has no unigram: '" + line + "'");
        }
        return id;
    }

    /** The entry of a context; one the file lacks (pruned away) is added without a probability. */
    private int findOrImplyContext(int prefix, int word, int n) {
        long key = NgramLanguageModel.key(prefix, word);
        int entry = index.get(key);
        return entry >= 0 ? entry : newEntry(key, word, prefix, n, Float.NaN, 0f);
    }

    private int newEntry(long key, int word, int prefix, int n, float logProb, float backoff) {
        if (entries == entryWord.length) {
            int capacity = entries * 2;
            entryWord = Arrays.copyOf(entryWord, capacity);
            entryPrefix = Arrays.copyOf(entryPrefix, capacity);
            entryOrder = Arrays.copyOf(entryOrder, capacity);
            entryLogProb = Arrays.copyOf(entryLogProb, capacity);
            entryBackoff = Arrays.copyOf(entryBackoff, capacity);
        }
        entryWord[entries] = word;
        entryPrefix[entries] = prefix;
        entryOrder[entries] = (byte) n;
        entryLogProb[entries] = logProb;
        entryBackoff[entries] = backoff;
        index.put(key, entries);
        return entries++;
    }

    private float parseLog10(String field, String what, String line) throws ArpaFormatException {
        if (field.equalsIgnoreCase("-inf") || field.equalsIgnoreCase("-infinity")) {
            return Float.NEGATIVE_INFINITY;
        }
        try {
            float value = Float.parseFloat(field);
            if (Float.isNaN(value) || value == Float.POSITIVE_INFINITY) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ArpaFormatException(source, lineNo, what + " '" + field + "' is not a number: '" + line + "'");
        }
    }
}
