package io.captioner.stream.redact;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link CallRedactor} hides.
 *
 * @param cardNumbers     runs of 13 or more spoken digits (a card number, Luhn-valid or not: one misrecognised
 *                        digit must not leak the other fifteen)
 * @param securityCodes   runs of 3–4 digits, and expiry dates, said after a prompt for them ("security code",
 *                        "CVV", "the three digits on the back", "expiry date") on either leg
 * @param socialSecurity  runs of exactly 9 digits (US social security numbers, 3-2-4)
 * @param partialDigitRun partials mask every run of at least this many digits (the final decides)
 * @param promptWindow    how long after a prompt a code or date is taken as its answer
 * @param patterns        more rules: regular expressions over the caption's words joined by single spaces
 */
public record RedactionRules(
        boolean cardNumbers,
        boolean securityCodes,
        boolean socialSecurity,
        int partialDigitRun,
        Duration promptWindow,
        List<LabelledPattern> patterns) {

    /** A configured rule: words matching {@code pattern} are replaced by {@code [label]}. */
    public record LabelledPattern(String label, Pattern pattern) {
        public LabelledPattern {
            if (label == null || !label.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException(
                        "the label must be upper-case letters, digits and _ (it is shown as [" + label + "])");
            }
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    public RedactionRules {
        if (partialDigitRun < 1) {
            throw new IllegalArgumentException("partialDigitRun must be at least 1, got " + partialDigitRun);
        }
        if (promptWindow == null || promptWindow.isNegative() || promptWindow.isZero()) {
            throw new IllegalArgumentException("promptWindow must be a positive duration, got " + promptWindow);
        }
        patterns = List.copyOf(patterns);
    }

    /** Nothing hidden, nothing masked. */
    public static RedactionRules none() {
        return new RedactionRules(false, false, false, Integer.MAX_VALUE, Duration.ofSeconds(30), List.of());
    }

    /** Card numbers and security codes (PCI DSS); partials mask runs of 4 or more digits. */
    public static RedactionRules defaults() {
        return new RedactionRules(true, true, false, 4, Duration.ofSeconds(30), List.of());
    }
}
