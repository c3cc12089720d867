package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolTableTest {
    private static final String WS = SymbolTable.WORD_START;

    /** WeNet English char units as in the fixtures: ▁ is a unit of its own. */
    private static SymbolTable fixtureUnits() throws IOException {
        return SymbolTable.load(WenetFixtures.exports().get(0).resolve("units.txt"), 2, 2);
    }

    /** BPE-style units: pieces carry the ▁ of a word start, upper case as in LibriSpeech recipes. */
    private static SymbolTable bpeUnits() {
        return SymbolTable.parse(
                "bpe-units",
                List.of("<blank> 0", "<unk> 1", WS + "HE 2", "LLO 3", WS + "WORLD 4", WS + " 5", "O 6", "<sos/eos> 7"),
                7,
                7);
    }

    @Test
    void loadsWenetUnits() throws IOException {
        SymbolTable units = fixtureUnits();
        assertEquals(31, units.size());
        assertEquals(0, units.blank());
        assertEquals("<blank>", units.symbol(0));
        assertEquals(WS, units.symbol(4));
        assertEquals(18, units.idOf("n"));
        assertEquals(-1, units.idOf("N"));
        assertTrue(units.isTag(0) && units.isTag(1) && units.isTag(2));
        assertFalse(units.isTag(4));
        assertEquals(2, units.sos());
        assertEquals(2, units.eos());
    }

    @Test
    void detokenizeDropsTagsTurnsWordStartsIntoSpacesAndLowercases() throws IOException {
        SymbolTable units = fixtureUnits();
        int n = units.idOf("n");
        int q = units.idOf("q");
        assertEquals("n q", units.detokenize(new int[] {4, 1, n, 4, q, 2}));
        assertEquals("hello world", bpeUnits().detokenize(new int[] {2, 3, 4}));
        assertEquals("", units.detokenize(new int[0]));
        assertEquals("n q", units.detokenize(new int[] {n, 4, 4, q}), "consecutive word marks give one space");
    }

    @Test
    void segmentsCharUnitsAtSeparateWordStartUnits() throws IOException {
        SymbolTable units = fixtureUnits();
        int[] tokens = {units.idOf("n"), 4, units.idOf("q"), units.idOf("n"), units.idOf("c"), 4};
        assertEquals(List.of(new WordSpan("n", 0, 0), new WordSpan("qnc", 2, 4)), units.segmentWords(tokens));
    }

    @Test
    void segmentsBpeUnitsAtWordStartPrefixes() {
        assertEquals(
                List.of(new WordSpan("hello", 0, 1), new WordSpan("world", 2, 2)),
                bpeUnits().segmentWords(new int[] {2, 3, 4}));
        // tags belong to no word
        assertEquals(List.of(new WordSpan("hello", 1, 2)), bpeUnits().segmentWords(new int[] {1, 2, 3, 7}));
    }

    @Test
    void charUnitsRunTogetherUntilASeparatorUnit() {
        SymbolTable chars =
                SymbolTable.parse("zh", List.of("<blank> 0", "\u4f60 1", "\u597d 2", WS + " 3", "<eos> 4"), 4, 4);
        assertEquals(
                List.of(new WordSpan("\u4f60\u597d", 0, 1), new WordSpan("\u4f60", 3, 3)),
                chars.segmentWords(new int[] {1, 2, 3, 1}));
        assertEquals("\u4f60\u597d \u4f60", chars.detokenize(new int[] {1, 2, 3, 1}));
    }

    @Test
    void encodesHotwordPhrasesIntoUnits() throws IOException {
        SymbolTable units = fixtureUnits();
        int[] expected =
                "hello".chars().map(c -> units.idOf(String.valueOf((char) c))).toArray();
        assertArrayEquals(expected, units.encodePhrase("hello"));
        int[] twoWords = units.encodePhrase("  Hi  There ");
        assertArrayEquals(
                new int[] {
                    units.idOf("h"),
                    units.idOf("i"),
                    4,
                    units.idOf("t"),
                    units.idOf("h"),
                    units.idOf("e"),
                    units.idOf("r"),
                    units.idOf("e")
                },
                twoWords);
        // BPE: longest pieces first, each word starting with ▁, case ignored
        assertArrayEquals(new int[] {2, 3, 4}, bpeUnits().encodePhrase("hello world"));
    }

    @Test
    void phraseWithUnknownCharacterNamesThePhrase() throws IOException {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> fixtureUnits().encodePhrase("room 101"));
        assertTrue(e.getMessage().contains("'room 101'") && e.getMessage().contains("'1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fixtureUnits().encodePhrase("   "));
    }

    @Test
    void malformedUnitsNameFileAndLine() {
        assertMessage("u.txt:2: expected 'symbol id', got 3 fields: 'a b 1'", List.of("<blank> 0", "a b 1"));
        assertMessage("u.txt:2: id 'x' of symbol 'a' is not an integer", List.of("<blank> 0", "a x"));
        assertMessage("u.txt:3: symbol 'a' already defined on line 2", List.of("<blank> 0", "a 1", "a 2"));
        assertMessage("u.txt:3: id 1 already used on line 2", List.of("<blank> 0", "a 1", "b 1"));
        assertMessage(
                "u.txt:3: ids must run from 0 to 2 without gaps, but 2 is missing (largest id 3)",
                List.of("<blank> 0", "a 1", "b 3"));
        assertMessage("u.txt: no units", List.of("", " "));
        assertMessage("u.txt:1: negative id -1", List.of("<blank> -1"));
    }

    @Test
    void sosEosOutsideTheTableAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SymbolTable.parse("u.txt", List.of("<blank> 0", "a 1"), 2, 1));
        assertEquals("u.txt: sos id 2 from the model metadata is outside the 2 units", e.getMessage());
    }

    @Test
    void missingFileIsReportedWithItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("units.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SymbolTable.load(missing, 0, 0));
        assertTrue(e.getMessage().contains(missing.toString()));
    }

    @Test
    void loadReportsTheFileName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("units.txt");
        Files.writeString(file, "<blank> 0\na 1\nb one\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymbolTable.load(file, 1, 1));
        assertEquals(file + ":3: id 'one' of symbol 'b' is not an integer", e.getMessage());
    }

    @Test
    void symbolOutsideTheTableIsAnError() throws IOException {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> fixtureUnits().symbol(31));
        assertTrue(e.getMessage().startsWith("token id 31 is outside the 31 units of "), e.getMessage());
    }

    private static void assertMessage(String expected, List<String> lines) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SymbolTable.parse("u.txt", lines, 0, 0));
        assertEquals(expected, e.getMessage());
    }
}
