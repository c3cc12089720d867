package io.captioner.stream.redact;

import io.captioner.stream.event.Redaction;
import io.captioner.stream.event.Word;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Hides card numbers, security codes and the other configured spans in one call's captions, before
 * they leave the process. One instance per call, because a prompt on one leg ("what is the security
 * code?") makes the answer on the other leg sensitive. Not thread-safe: call it from the thread that
 * orders the call's captions.
 */
public final class CallRedactor {
    public static final String CARD = "CARD";
    public static final String SECURITY_CODE = "SECURITY_CODE";
    public static final String EXPIRY = "EXPIRY";
    public static final String SSN = "SSN";
    public static final String DIGITS = "DIGITS";

    private static final List<List<String>> SECURITY_PROMPTS = phrases(
            "security code",
            "security number",
            "cvv",
            "c v v",
            "cvc",
            "c v c",
            "cv two",
            "card verification",
            "verification code",
            "digits on the back",
            "three digit code",
            "four digit code",
            "digits on the front");
    private static final List<List<String>> EXPIRY_PROMPTS =
            phrases("expiry", "expiration", "expires", "valid until", "valid through", "valid thru", "end date");
    private static final Set<String> MONTHS = Set.of(
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december");

    private final RedactionRules rules;
    private long securityPromptEndMs = Long.MIN_VALUE;
    private long expiryPromptEndMs = Long.MIN_VALUE;

    public CallRedactor(RedactionRules rules) {
        this.rules = rules;
    }

    /** A final caption of either leg: its sensitive spans hidden; its prompts remembered for what follows. */
    public RedactedWords redactFinal(List<Word> words) {
        return redactFinals(List.of(words)).get(0);
    }

    /**
     * Consecutive final captions of one leg, judged as one: a number the caller split over two utterances
     * by a pause is hidden as a whole, each part as {@code [LABEL]} in its own caption. Digits that end one
     * utterance and digits among the first two words of the next are one run: the word at the restart of
     * speech is the one the recogniser most often gets wrong ("the six" for "eight six").
     */
    public List<RedactedWords> redactFinals(List<List<Word>> utterances) {
        List<Word> joined = utterances.stream().flatMap(List::stream).toList();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0, at = 0; i < utterances.size(); at += utterances.get(i).size(), i++) {
            starts.add(at);
        }
        List<Span> spans = finalSpans(joined, starts);
        List<RedactedWords> out = new ArrayList<>();
        int offset = 0;
        for (List<Word> words : utterances) {
            int end = offset + words.size();
            List<Span> own = new ArrayList<>();
            for (Span span : spans) {
                if (span.first() < end && span.last() >= offset) {
                    own.add(new Span(
                            Math.max(span.first(), offset) - offset,
                            Math.min(span.last(), end - 1) - offset,
                            span.label()));
                }
            }
            out.add(apply(words, own));
            offset = end;
        }
        return out;
    }

    /**
     * Whether a final caption ends in a run of digits that the leg's next caption may go on: then the two
     * are worth judging together ({@link #redactFinals}). Never, when nothing is to be hidden.
     */
    public boolean mayContinue(List<Word> words) {
        boolean anyRule = rules.cardNumbers() || rules.securityCodes() || rules.socialSecurity();
        List<SpokenDigits.Run> runs = SpokenDigits.find(spoken(words));
        return anyRule && !runs.isEmpty() && runs.get(runs.size() - 1).lastWord() == words.size() - 1;
    }

    /**
     * Whether the digits that {@code before} ends in go on into {@code after}, the leg's next words, as
     * {@link #redactFinals} would join them.
     */
    public boolean continuesRun(List<Word> before, List<Word> after) {
        List<Word> joined = new ArrayList<>(before);
        joined.addAll(after);
        return runs(spoken(joined), List.of(0, before.size())).stream()
                .anyMatch(run -> run.firstWord() < before.size() && run.lastWord() >= before.size());
    }

    /** The digit runs of utterances joined at {@code starts}, a run across a start joined as one. */
    private static List<SpokenDigits.Run> runs(List<String> spoken, List<Integer> starts) {
        List<SpokenDigits.Run> runs = new ArrayList<>();
        for (SpokenDigits.Run run : SpokenDigits.find(spoken)) {
            SpokenDigits.Run previous = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            boolean acrossAStart = previous != null
                    && starts.contains(previous.lastWord() + 1)
                    && run.firstWord() <= previous.lastWord() + 2;
            if (acrossAStart) {
                runs.set(
                        runs.size() - 1,
                        new SpokenDigits.Run(previous.firstWord(), run.lastWord(), previous.digits() + run.digits()));
            } else {
                runs.add(run);
            }
        }
        return runs;
    }

    private List<Span> finalSpans(List<Word> words, List<Integer> starts) {
        List<String> spoken = spoken(words);
        List<Span> spans = new ArrayList<>();
        if (rules.securityCodes()) { // a code or date later in the same caption counts as the answer
            securityPromptEndMs = Math.max(securityPromptEndMs, lastPromptEndMs(SECURITY_PROMPTS, spoken, words));
            expiryPromptEndMs = Math.max(expiryPromptEndMs, lastPromptEndMs(EXPIRY_PROMPTS, spoken, words));
        }
        for (SpokenDigits.Run run : runs(spoken, starts)) {
            int n = run.length();
            long startMs = words.get(run.firstWord()).startMs();
            if (rules.cardNumbers() && n >= 13) {
                spans.add(new Span(run.firstWord(), run.lastWord(), CARD));
            } else if (rules.socialSecurity() && n == 9) {
                spans.add(new Span(run.firstWord(), run.lastWord(), SSN));
            } else if (n >= 3 && n <= 4 && answers(securityPromptEndMs, startMs)) {
                spans.add(new Span(run.firstWord(), run.lastWord(), SECURITY_CODE));
            } else if (n >= 2 && n <= 6 && answers(expiryPromptEndMs, startMs)) {
                spans.add(new Span(run.firstWord(), run.lastWord(), EXPIRY));
            }
        }
        for (int i = 0; i < spoken.size(); i++) {
            if (MONTHS.contains(spoken.get(i))
                    && answers(expiryPromptEndMs, words.get(i).startMs())) {
                spans.add(new Span(i, i, EXPIRY));
            }
        }
        spans.addAll(patternSpans(spoken));
        return spans;
    }

    /**
     * A partial caption: every run of at least {@code partialDigitRun} digits is masked as {@code [DIGITS]},
     * since a partial cannot know yet what the run will become. Prompts are not remembered from partials.
     */
    public RedactedWords maskPartial(List<Word> words) {
        List<String> spoken = spoken(words);
        List<Span> spans = new ArrayList<>();
        for (SpokenDigits.Run run : SpokenDigits.find(spoken)) {
            if (run.length() >= rules.partialDigitRun()) {
                spans.add(new Span(run.firstWord(), run.lastWord(), DIGITS));
            }
        }
        spans.addAll(patternSpans(spoken));
        return apply(words, spans);
    }

    private record Span(int first, int last, String label) {}

    private static List<String> spoken(List<Word> words) {
        return words.stream().map(w -> w.word().toLowerCase(Locale.ROOT)).toList();
    }

    /** When the caption's last phrase of {@code prompts} ends; {@code Long.MIN_VALUE} if it has none. */
    private static long lastPromptEndMs(List<List<String>> prompts, List<String> spoken, List<Word> words) {
        long endMs = Long.MIN_VALUE;
        for (List<String> phrase : prompts) {
            for (int i = 0; i + phrase.size() <= spoken.size(); i++) {
                if (spoken.subList(i, i + phrase.size()).equals(phrase)) {
                    endMs = Math.max(endMs, words.get(i + phrase.size() - 1).endMs());
                }
            }
        }
        return endMs;
    }

    private boolean answers(long promptEndMs, long startMs) {
        return promptEndMs != Long.MIN_VALUE
                && startMs >= promptEndMs
                && startMs - promptEndMs <= rules.promptWindow().toMillis();
    }

    private List<Span> patternSpans(List<String> spoken) {
        List<Span> spans = new ArrayList<>();
        if (rules.patterns().isEmpty()) {
            return spans;
        }
        String text = String.join(" ", spoken);
        int[] wordAt = new int[text.length() + 1];
        for (int i = 0, offset = 0; i < spoken.size(); i++) {
            for (int c = 0; c <= spoken.get(i).length(); c++) {
                wordAt[offset + c] = i;
            }
            offset += spoken.get(i).length() + 1;
        }
        for (RedactionRules.LabelledPattern rule : rules.patterns()) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    spans.add(new Span(wordAt[m.start()], wordAt[m.end() - 1], rule.label()));
                }
            }
        }
        return spans;
    }

    /**
     * Replaces each span by one {@code [LABEL]} word; overlapping spans merge (the earlier one's label kept), and
     * so do adjacent spans of one label ("april" and "twenty twenty seven" are one expiry date).
     */
    private static RedactedWords apply(List<Word> words, List<Span> spans) {
        if (spans.isEmpty()) {
            return new RedactedWords(words, List.of());
        }
        spans.sort(Comparator.comparingInt(Span::first)
                .thenComparing(Comparator.comparingInt(Span::last).reversed()));
        List<Word> out = new ArrayList<>();
        List<Redaction> redactions = new ArrayList<>();
        int next = 0;
        int s = 0;
        while (s < spans.size()) {
            Span span = spans.get(s);
            int last = span.last();
            while (++s < spans.size()
                    && (spans.get(s).first() <= last
                            || spans.get(s).first() == last + 1
                                    && spans.get(s).label().equals(span.label()))) {
                last = Math.max(last, spans.get(s).last());
            }
            out.addAll(words.subList(next, span.first()));
            Word first = words.get(span.first());
            Word end = words.get(last);
            double confidence = words.subList(span.first(), last + 1).stream()
                    .mapToDouble(Word::confidence)
                    .min()
                    .orElse(0);
            out.add(new Word("[" + span.label() + "]", first.startMs(), end.endMs(), confidence));
            redactions.add(new Redaction(span.label(), first.startMs(), end.endMs()));
            next = last + 1;
        }
        out.addAll(words.subList(next, words.size()));
        return new RedactedWords(out, redactions);
    }

    private static List<List<String>> phrases(String... phrases) {
        return Arrays.stream(phrases).map(p -> List.of(p.split(" "))).toList();
    }
}
