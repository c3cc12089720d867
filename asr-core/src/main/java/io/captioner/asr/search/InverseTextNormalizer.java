package io.captioner.asr.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Optional inverse text normalisation of spoken English numbers in final transcripts (lower-case,
 * space-separated words, as {@link SymbolTable#detokenize} writes them).
 *
 * <p>The rule: a run of number words is rewritten in digits only when it holds at least two of
 * them, so "one of them" stays as it is while "twenty five" becomes "25". Within a run, words
 * combine into cardinals the usual way ("one hundred and twenty" → 120, "two thousand and five" →
 * 2005; "and" only joins after hundred/thousand/million/billion); where a word cannot continue the
 * current number a new one starts and the numbers are written one after another, as spoken digit
 * strings and years are ("four two one" → 421, "nineteen eighty four" → 1984). "point" followed by
 * single digits makes a decimal ("three point five" → 3.5). A scale word that cannot attach
 * ("hundred" on its own) is left as a word. Stateless and thread-safe.
 */
public final class InverseTextNormalizer {
    private static final Map<String, Integer> UNITS = Map.of(
            "zero", 0, "one", 1, "two", 2, "three", 3, "four", 4, "five", 5, "six", 6, "seven", 7, "eight", 8, "nine",
            9);
    private static final Map<String, Integer> TEENS = Map.of(
            "ten",
            10,
            "eleven",
            11,
            "twelve",
            12,
            "thirteen",
            13,
            "fourteen",
            14,
            "fifteen",
            15,
            "sixteen",
            16,
            "seventeen",
            17,
            "eighteen",
            18,
            "nineteen",
            19);
    private static final Map<String, Integer> TENS = Map.of(
            "twenty", 20, "thirty", 30, "forty", 40, "fifty", 50, "sixty", 60, "seventy", 70, "eighty", 80, "ninety",
            90);
    private static final Map<String, Long> SCALES =
            Map.of("thousand", 1_000L, "million", 1_000_000L, "billion", 1_000_000_000L);

    /** Rewrites spoken numbers in {@code text} as digits; everything else is kept as it is. */
    public String normalize(String text) {
        String[] words = text.split(" ", -1);
        List<String> out = new ArrayList<>(words.length);
        int i = 0;
        while (i < words.length) {
            Run run = readRun(words, i);
            if (run.numberWords >= 2) {
                out.add(run.digits);
                i = run.end;
            } else {
                out.add(words[i]);
                i++;
            }
        }
        return String.join(" ", out);
    }

    /** The digits of the number words starting at {@code start}, and where they end. */
    private record Run(String digits, int end, int numberWords) {}

    private static Run readRun(String[] words, int start) {
        StringBuilder digits = new StringBuilder();
        Cardinal number = null;
        int numberWords = 0;
        int i = start;
        while (i < words.length) {
            String word = words[i];
            if (number != null && number.accepts(word)) {
                number.add(word);
            } else if (number != null
                    && word.equals("and")
                    && number.acceptsAnd()
                    && i + 1 < words.length
                    && number.acceptsAfterAnd(words[i + 1])) {
                number.add(words[i + 1]);
                i++;
            } else if (Cardinal.starts(word)) {
                if (number != null) {
                    digits.append(number.value());
                }
                number = new Cardinal(word);
            } else if (word.equals("point")
                    && number != null
                    && i + 1 < words.length
                    && UNITS.containsKey(words[i + 1])) {
                digits.append(number.value()).append('.');
                number = null;
                i++;
                while (i < words.length && UNITS.containsKey(words[i])) {
                    digits.append(UNITS.get(words[i]));
                    numberWords++;
                    i++;
                }
                return new Run(digits.toString(), i, numberWords + 1);
            } else {
                break;
            }
            numberWords++;
            i++;
        }
        if (number != null) {
            digits.append(number.value());
        }
        return new Run(digits.toString(), i, numberWords);
    }

    /** A cardinal being read word by word: completed scale groups plus the group under 1000. */
    private static final class Cardinal {
        private enum Last {
            UNIT,
            TEEN,
            TENS,
            HUNDRED,
            SCALE
        }

        private long total;
        private long group;
        private long lastScale = Long.MAX_VALUE;
        private Last last;

        Cardinal(String firstWord) {
            add(firstWord);
        }

        static boolean starts(String word) {
            return UNITS.containsKey(word) || TEENS.containsKey(word) || TENS.containsKey(word);
        }

        boolean accepts(String word) {
            if (UNITS.containsKey(word)) {
                // "zero" never adds to a number ("twenty zero" is spoken 2, 0, 0 → 200)
                return !word.equals("zero") && last == Last.TENS || last == Last.HUNDRED || last == Last.SCALE;
            }
            if (TEENS.containsKey(word) || TENS.containsKey(word)) {
                return last == Last.HUNDRED || last == Last.SCALE;
            }
            if (word.equals("hundred")) {
                return (last == Last.UNIT || last == Last.TEEN) && group > 0 && group < 100;
            }
            Long scale = SCALES.get(word);
            return scale != null && group > 0 && scale < lastScale && last != Last.SCALE;
        }

        boolean acceptsAnd() {
            return last == Last.HUNDRED || last == Last.SCALE;
        }

        boolean acceptsAfterAnd(String word) {
            return starts(word) && accepts(word);
        }

        void add(String word) {
            if (UNITS.containsKey(word)) {
                group += UNITS.get(word);
                last = Last.UNIT;
            } else if (TEENS.containsKey(word)) {
                group += TEENS.get(word);
                last = Last.TEEN;
            } else if (TENS.containsKey(word)) {
                group += TENS.get(word);
                last = Last.TENS;
            } else if (word.equals("hundred")) {
                group *= 100;
                last = Last.HUNDRED;
            } else {
                long scale = SCALES.get(word);
                total += group * scale;
                group = 0;
                lastScale = scale;
                last = Last.SCALE;
            }
        }

        long value() {
            return total + group;
        }
    }
}
