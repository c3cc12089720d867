package io.captioner.stream.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs of digits said in a caption's words, the way callers read numbers out: one digit at a time
 * ("four five five six", "oh" or "o" for zero), in pairs ("forty five fifty six", "fifteen"),
 * repeated ("double four", "triple oh"), or as digit strings that inverse text normalisation wrote
 * ("4556"), in any mix. A hesitation ("uh", "um") inside a run does not end it, so a number split by
 * a pause within one utterance stays one run. Words the recogniser often writes for a digit ("for",
 * "to", "won", "ate") count as that digit next to other digits, so "it is for five five six ..." does
 * not leave the first digit visible; "at" counts as eight only between two digits ("five at six"), since
 * "at two thirty" is a time. Any other word ends a run, "hundred" and "thousand" among them: a
 * sum of money is not a run of digits.
 */
final class SpokenDigits {
    /** Words {@code firstWord..lastWord} (inclusive) say {@code digits}. */
    record Run(int firstWord, int lastWord, String digits) {
        int length() {
            return digits.length();
        }
    }

    private static final Map<String, Character> DIGITS = Map.ofEntries(
            Map.entry("zero", '0'),
            Map.entry("oh", '0'),
            Map.entry("o", '0'),
            Map.entry("one", '1'),
            Map.entry("two", '2'),
            Map.entry("three", '3'),
            Map.entry("four", '4'),
            Map.entry("five", '5'),
            Map.entry("six", '6'),
            Map.entry("seven", '7'),
            Map.entry("eight", '8'),
            Map.entry("nine", '9'));
    private static final Map<String, String> TEENS = Map.of(
            "ten",
            "10",
            "eleven",
            "11",
            "twelve",
            "12",
            "thirteen",
            "13",
            "fourteen",
            "14",
            "fifteen",
            "15",
            "sixteen",
            "16",
            "seventeen",
            "17",
            "eighteen",
            "18",
            "nineteen",
            "19");
    private static final Map<String, Character> TENS = Map.of(
            "twenty", '2', "thirty", '3', "forty", '4', "fifty", '5', "sixty", '6', "seventy", '7', "eighty", '8',
            "ninety", '9');
    private static final Map<String, Character> HOMOPHONES =
            Map.of("for", '4', "to", '2', "too", '2', "won", '1', "ate", '8');
    private static final Map<String, Integer> REPEATS = Map.of("double", 2, "triple", 3);
    private static final Set<String> HESITATIONS = Set.of("uh", "um", "er", "erm", "ah", "hmm");

    private SpokenDigits() {}

    private static boolean saysDigits(String word) {
        return DIGITS.containsKey(word) || TEENS.containsKey(word) || TENS.containsKey(word) || isDigitString(word);
    }

    private static boolean isDigitString(String word) {
        return !word.isEmpty() && word.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static List<Run> find(List<String> words) {
        List<Run> runs = new ArrayList<>();
        StringBuilder digits = new StringBuilder();
        int first = -1;
        int last = -1;
        int i = 0;
        while (i < words.size()) {
            String word = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            int taken = 1;
            String said = null;
            if (DIGITS.containsKey(word)) {
                said = String.valueOf(DIGITS.get(word));
            } else if (HOMOPHONES.containsKey(word) && (first >= 0 || saysDigits(next))) {
                said = String.valueOf(HOMOPHONES.get(word));
            } else if (word.equals("at") && first >= 0 && saysDigits(next)) {
                said = "8";
            } else if (TEENS.containsKey(word)) {
                said = TEENS.get(word);
            } else if (TENS.containsKey(word)) {
                boolean unit = DIGITS.containsKey(next) && DIGITS.get(next) != '0';
                said = TENS.get(word) + (unit ? String.valueOf(DIGITS.get(next)) : "0");
                taken = unit ? 2 : 1;
            } else if (REPEATS.containsKey(word) && DIGITS.containsKey(next)) {
                said = String.valueOf(DIGITS.get(next)).repeat(REPEATS.get(word));
                taken = 2;
            } else if (isDigitString(word)) {
                said = word;
            }
            if (said != null) {
                if (first < 0) {
                    first = i;
                }
                digits.append(said);
                last = i + taken - 1;
            } else if (!(first >= 0 && HESITATIONS.contains(word))) {
                if (first >= 0) {
                    runs.add(new Run(first, last, digits.toString()));
                }
                digits.setLength(0);
                first = -1;
            }
            i += taken;
        }
        if (first >= 0) {
            runs.add(new Run(first, last, digits.toString()));
        }
        return runs;
    }
}
