package io.captioner.service;

import java.util.Arrays;
import java.util.List;

/** Word error rate: word-level edit distance over the number of reference words. */
final class WordErrorRate {
    private WordErrorRate() {}

    static double of(String reference, String hypothesis) {
        List<String> ref = words(reference);
        List<String> hyp = words(hypothesis);
        int[] previous = new int[hyp.size() + 1];
        int[] current = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            current[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int substitution = previous[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return ref.isEmpty() ? (hyp.isEmpty() ? 0 : 1) : previous[hyp.size()] / (double) ref.size();
    }

    /** Words of a text as {@link #of} counts them. */
    static int wordCount(String text) {
        return words(text).size();
    }

    private static List<String> words(String text) {
        String trimmed = text.toLowerCase().trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
