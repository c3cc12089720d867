package io.captioner.asr.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The units of a WeNet export ({@code units.txt}: one {@code symbol id} per line) and the text
 * rules built on them: detokenisation, word segmentation and hotword tokenisation.
 *
 * <p>Blank is always id 0. The sos/eos ids come from the model's metadata (older recipes put
 * {@code <sos/eos>} last, newer ones at 2), so they are passed in rather than guessed.
 */
public final class SymbolTable {
    private static final java.util.regex.Pattern MULTIPLE_SPACES = java.util.regex.Pattern.compile(" {2,}");
    /** The SentencePiece/WeNet word-start mark. */
    public static final String WORD_START = "\u2581";

    private static final int BLANK = 0;

    private final String source;
    private final String[] symbols;
    private final Map<String, Integer> ids;
    private final Map<String, Integer> idsIgnoringCase;
    private final int sos;
    private final int eos;
    private final boolean wordStartPrefixedUnits;

    private SymbolTable(String source, String[] symbols, int sos, int eos) {
        this.source = source;
        this.symbols = symbols;
        this.sos = sos;
        this.eos = eos;
        this.ids = new HashMap<>();
        this.idsIgnoringCase = new HashMap<>();
        boolean prefixed = false;
        for (int id = 0; id < symbols.length; id++) {
            ids.put(symbols[id], id);
            idsIgnoringCase.putIfAbsent(symbols[id].toLowerCase(Locale.ROOT), id);
            prefixed |= symbols[id].length() > 1 && symbols[id].startsWith(WORD_START);
        }
        this.wordStartPrefixedUnits = prefixed;
    }

    /**
     * Reads and validates a units file.
     *
     * @throws IllegalArgumentException naming the file and line when the content is malformed
     *     (wrong field count, non-integer id, duplicate symbol or id, ids not contiguous from 0) or
     *     when sos/eos lie outside the table
     */
    public static SymbolTable load(Path unitsFile, int sos, int eos) throws IOException {
        return parse(unitsFile.toString(), Files.readAllLines(unitsFile, StandardCharsets.UTF_8), sos, eos);
    }

    /** Validates units given as lines; {@code sourceName} is used in error messages. */
    public static SymbolTable parse(String sourceName, List<String> lines, int sos, int eos) {
        Map<Integer, String> byId = new HashMap<>();
        Map<String, Integer> lineOfSymbol = new HashMap<>();
        Map<Integer, Integer> lineOfId = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException(String.format(
                        "%s:%d: expected 'symbol id', got %d fields: '%s'", sourceName, lineNo, fields.length, line));
            }
            int id;
            try {
                id = Integer.parseInt(fields[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(
                        "%s:%d: id '%s' of symbol '%s' is not an integer", sourceName, lineNo, fields[1], fields[0]));
            }
            if (id < 0) {
                throw new IllegalArgumentException(String.format("%s:%d: negative id %d", sourceName, lineNo, id));
            }
            Integer previousSymbolLine = lineOfSymbol.putIfAbsent(fields[0], lineNo);
            if (previousSymbolLine != null) {
                throw new IllegalArgumentException(String.format(
                        "%s:%d: symbol '%s' already defined on line %d",
                        sourceName, lineNo, fields[0], previousSymbolLine));
            }
            Integer previousIdLine = lineOfId.putIfAbsent(id, lineNo);
            if (previousIdLine != null) {
                throw new IllegalArgumentException(
                        String.format("%s:%d: id %d already used on line %d", sourceName, lineNo, id, previousIdLine));
            }
            byId.put(id, fields[0]);
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(sourceName + ": no units");
        }
        String[] symbols = new String[byId.size()];
        for (int id = 0; id < symbols.length; id++) {
            String symbol = byId.get(id);
            if (symbol == null) {
                int maxId =
                        byId.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
                throw new IllegalArgumentException(String.format(
                        "%s:%d: ids must run from 0 to %d without gaps, but %d is missing (largest id %d)",
                        sourceName, lineOfId.get(maxId), symbols.length - 1, id, maxId));
            }
            symbols[id] = symbol;
        }
        checkSpecialId(sourceName, "sos", sos, symbols.length);
        checkSpecialId(sourceName, "eos", eos, symbols.length);
        return new SymbolTable(sourceName, symbols, sos, eos);
    }

    private static void checkSpecialId(String sourceName, String what, int id, int size) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException(String.format(
                    "%s: %s id %d from the model metadata is outside the %d units", sourceName, what, id, size));
        }
    }

    /** Where the units came from (file path or the name given to {@link #parse}). */
    public String source() {
        return source;
    }

    /** Number of units; must equal the model's vocabulary size. */
    public int size() {
        return symbols.length;
    }

    /** The blank id, always 0. */
    public int blank() {
        return BLANK;
    }

    /** Start-of-sentence id (from metadata). */
    public int sos() {
        return sos;
    }

    /** End-of-sentence id (from metadata). */
    public int eos() {
        return eos;
    }

    /** The unit string of {@code id}. */
    public String symbol(int id) {
        if (id < 0 || id >= symbols.length) {
            throw new IllegalArgumentException(
                    "token id " + id + " is outside the " + symbols.length + " units of " + source);
        }
        return symbols[id];
    }

    /** The id of {@code symbol}, or -1 when it is not a unit. */
    public int idOf(String symbol) {
        Integer id = ids.get(symbol);
        return id == null ? -1 : id;
    }

    /** True for tags such as {@code <blank>}, {@code <unk>}, {@code <sos/eos>}. */
    public boolean isTag(int id) {
        String symbol = symbol(id);
        return symbol.length() >= 2 && symbol.startsWith("<") && symbol.endsWith(">");
    }

    /**
     * WeNet's text rule: join unit strings, drop {@code <...>} tags, ▁ → space, trim, lower case; and
     * runs of spaces (consecutive ▁ units) become one, as a caption should read.
     */
    public String detokenize(int[] tokens) {
        StringBuilder text = new StringBuilder();
        for (int token : tokens) {
            if (!isTag(token)) {
                text.append(symbol(token));
            }
        }
        return MULTIPLE_SPACES
                .matcher(text.toString().replace(WORD_START, " ").strip())
                .replaceAll(" ")
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Splits a token sequence into words. A unit starting with ▁ starts a new word (BPE and
     * WeNet's English char units); a unit that is only ▁ separates words and belongs to none; tags
     * belong to no word; any other unit continues the current word (so char units without ▁, e.g.
     * Chinese, run together until the next ▁).
     */
    public List<WordSpan> segmentWords(int[] tokens) {
        List<WordSpan> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int first = -1;
        int last = -1;
        for (int i = 0; i < tokens.length; i++) {
            if (isTag(tokens[i])) {
                continue;
            }
            String symbol = symbol(tokens[i]);
            String content = symbol.replace(WORD_START, "");
            if (symbol.startsWith(WORD_START) && first >= 0) {
                words.add(new WordSpan(word.toString().toLowerCase(Locale.ROOT), first, last));
                word.setLength(0);
                first = -1;
            }
            if (!content.isEmpty()) {
                if (first < 0) {
                    first = i;
                }
                word.append(content);
                last = i;
            }
        }
        if (first >= 0) {
            words.add(new WordSpan(word.toString().toLowerCase(Locale.ROOT), first, last));
        }
        return words;
    }

    /**
     * Tokenises a hotword phrase into unit ids: words are split on whitespace and each word is
     * matched greedily, longest unit first, ignoring case when no exact unit exists. In a vocabulary
     * with ▁-prefixed units (BPE) each word is matched as "▁word"; in one with a separate ▁ unit
     * (WeNet's English char units) a ▁ is put between words, none before the first, so the phrase
     * matches at the start of an utterance as well as after a word.
     *
     * @throws IllegalArgumentException naming the phrase and the character that no unit covers
     */
    public int[] encodePhrase(String phrase) {
        if (phrase.isBlank()) {
            throw new IllegalArgumentException("empty hotword phrase");
        }
        String[] words = phrase.strip().split("\\s+");
        int separator = idOf(WORD_START);
        List<Integer> units = new ArrayList<>();
        for (int w = 0; w < words.length; w++) {
            String text = words[w];
            if (wordStartPrefixedUnits) {
                text = WORD_START + text;
            } else if (w > 0 && separator >= 0) {
                units.add(separator);
            }
            int pos = 0;
            while (pos < text.length()) {
                int end = longestUnitEnd(text, pos, units);
                if (end < 0) {
                    int cp = text.codePointAt(pos);
                    throw new IllegalArgumentException(String.format(
                            "hotword phrase '%s': character '%s' is not covered by any unit of %s",
                            phrase, new String(Character.toChars(cp)), source));
                }
                pos = end;
            }
        }
        return units.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Appends the longest unit starting at {@code pos} and returns its end, or -1 if none fits. */
    private int longestUnitEnd(String text, int pos, List<Integer> out) {
        for (int end = text.length(); end > pos; end--) {
            String piece = text.substring(pos, end);
            Integer id = ids.get(piece);
            if (id == null) {
                id = idsIgnoringCase.get(piece.toLowerCase(Locale.ROOT));
            }
            if (id != null && id != BLANK && !isTag(id)) {
                out.add(id);
                return end;
            }
        }
        return -1;
    }
}
