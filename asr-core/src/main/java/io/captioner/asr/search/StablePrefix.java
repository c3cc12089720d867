package io.captioner.asr.search;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Length, in characters of the detokenised text, of the part of the current partial that has not
 * changed over the last {@code window} partials (the current one included): their longest common
 * prefix, cut back to the last word boundary when that prefix ends inside a word in any of
 * them (so a word that changed among them is not reported stable), without trailing spaces. A
 * text identical in all of them counts as stable in full. Fewer than {@code window} partials since
 * the last reset give 0. Reset at each endpoint. Not thread-safe: one per stream.
 */
public final class StablePrefix {
    private final int window;
    private final Deque<String> recent = new ArrayDeque<>();

    /** @param window how many consecutive partials must agree (at least 1; 1 makes all stable) */
    public StablePrefix(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("stable-prefix window must be at least 1, got " + window);
        }
        this.window = window;
    }

    /** Records the newest partial text and returns the length of its stable prefix. */
    public int update(String partial) {
        recent.addLast(partial);
        if (recent.size() > window) {
            recent.removeFirst();
        }
        if (recent.size() < window) {
            return 0;
        }
        if (recent.stream().allMatch(partial::equals)) {
            return partial.length();
        }
        int common = partial.length();
        for (String previous : recent) {
            common = Math.min(common, commonPrefixLength(partial, previous));
        }
        if (!wordBoundaryInAll(common)) {
            common = Math.max(partial.lastIndexOf(' ', common - 1), 0);
        }
        while (common > 0 && partial.charAt(common - 1) == ' ') {
            common--;
        }
        return common;
    }

    private boolean wordBoundaryInAll(int position) {
        for (String text : recent) {
            if (position < text.length() && text.charAt(position) != ' ') {
                return false;
            }
        }
        return true;
    }

    /** Forgets the history (new utterance). */
    public void reset() {
        recent.clear();
    }

    private static int commonPrefixLength(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
