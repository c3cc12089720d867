package io.captioner.stream.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.Redaction;
import io.captioner.stream.event.Word;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CallRedactorTest {
    private static final String LUHN_VALID =
            "four five five six seven three seven five eight six eight nine nine eight five five";
    private static final String LUHN_INVALID =
            "four five five six seven three seven five eight six eight nine nine eight five six";

    /** Words 300 ms apart from {@code startMs}, confidence 0.9. */
    static List<Word> words(String text, long startMs) {
        List<Word> words = new ArrayList<>();
        long t = startMs;
        for (String w : text.split(" ")) {
            words.add(new Word(w, t, t + 250, 0.9));
            t += 300;
        }
        return words;
    }

    static RedactedWords redact(String text) {
        return new CallRedactor(RedactionRules.defaults()).redactFinal(words(text, 0));
    }

    @Test
    void cardNumbersReadDigitByDigitAreHiddenWhetherOrNotTheyPassLuhn() {
        for (String card : List.of(LUHN_VALID, LUHN_INVALID)) {
            RedactedWords r = redact("sure it's " + card + " thanks");
            assertEquals("sure it's [CARD] thanks", r.text());
            assertEquals(List.of(new Redaction("CARD", 600, 600 + 15 * 300 + 250)), r.redactions());
        }
    }

    @Test
    void spokenVariantsOfACardNumberAreOneRun() {
        assertEquals(
                "[CARD]",
                redact("forty five fifty six seventy three seventy five eighty six eighty nine "
                                + "ninety eight fifty five")
                        .text());
        assertEquals(
                "it is [CARD]",
                redact("it is four double five six seven three seven five eight six eight nine " + "triple oh five")
                        .text());
        assertEquals("[CARD] okay", redact("4556 7375 8689 9855 okay").text());
        assertEquals(
                "[CARD]",
                redact("four five five six uh seven three seven five um eight six eight nine nine " + "eight five five")
                        .text());
        assertEquals(
                "it is [CARD]",
                redact("it is for five five six seven three seven five eight six eight nine nine " + "eight five five")
                        .text());
        assertEquals("i paid for two items", redact("i paid for two items").text());
    }

    @Test
    void aNumberSplitOverTwoFinalsIsJudgedWhole() {
        CallRedactor call = new CallRedactor(RedactionRules.defaults());
        List<Word> first = words("it is four five five six seven three seven five", 0);
        List<Word> second = words("eight six eight nine nine eight five five thanks", 5000);
        assertTrue(call.mayContinue(first));
        assertFalse(call.mayContinue(second));
        assertEquals(
                "it is four five five six seven three seven five",
                call.redactFinal(first).text());
        List<RedactedWords> both = call.redactFinals(List.of(first, second));
        assertEquals("it is [CARD]", both.get(0).text());
        assertEquals("[CARD] thanks", both.get(1).text());
        assertEquals(List.of(new Redaction("CARD", 600, 2950)), both.get(0).redactions());
        assertEquals(List.of(new Redaction("CARD", 5000, 7350)), both.get(1).redactions());
        assertFalse(new CallRedactor(RedactionRules.none()).mayContinue(first));
        assertTrue(call.continuesRun(first, words("at six", 5000)));
        assertTrue(call.continuesRun(first, words("the six eight", 5000)));
        List<RedactedWords> misheard =
                call.redactFinals(List.of(first, words("the six eight nine nine eight five five", 5000)));
        assertEquals("it is [CARD]", misheard.get(0).text());
        assertEquals("[CARD]", misheard.get(1).text());
        assertFalse(call.continuesRun(first, words("thanks a lot", 5000)));
        assertEquals(
                "it is [CARD] thanks",
                call.redactFinal(words(
                                "it is four five five six seven three seven five "
                                        + "at six eight nine nine eight five five thanks",
                                0))
                        .text());
        assertEquals(
                "see you at two thirty",
                call.redactFinal(words("see you at two thirty", 0)).text());
    }

    @Test
    void nearMissesStay() {
        for (String text : List.of(
                "you can reach me on two three two six eight one four five five four one",
                "i paid nine hundred and twenty six dollars and nineteen cents",
                "i was born on the ninth of january nineteen sixty nine",
                "my order number is four five five six seven three seven five eight six eight nine",
                "my policy number is one y seven nine six b three p")) {
            RedactedWords r = redact(text);
            assertEquals(text, r.text());
            assertTrue(r.redactions().isEmpty(), text);
        }
    }

    @Test
    void aSecurityCodeIsHiddenOnlyAfterAPromptOnEitherLeg() {
        assertEquals(
                "the code is one two three", redact("the code is one two three").text());

        CallRedactor call = new CallRedactor(RedactionRules.defaults());
        assertEquals(
                "what's the c v v on the back",
                call.redactFinal(words("what's the c v v on the back", 1000)).text());
        RedactedWords answer = call.redactFinal(words("it's seven three one", 5000));
        assertEquals("it's [SECURITY_CODE]", answer.text());
        assertEquals(List.of(new Redaction("SECURITY_CODE", 5300, 6150)), answer.redactions());
        RedactedWords muchLater = call.redactFinal(words("it's seven three one", 60_000));
        assertEquals("it's seven three one", muchLater.text());

        assertEquals(
                "my security code is [SECURITY_CODE]",
                redact("my security code is four four one two").text());
    }

    @Test
    void anExpiryDateAfterItsPromptIsHidden() {
        CallRedactor call = new CallRedactor(RedactionRules.defaults());
        call.redactFinal(words("and the expiry date please", 0));
        assertEquals(
                "[EXPIRY]", call.redactFinal(words("oh four twenty six", 2000)).text());
        RedactedWords date = call.redactFinal(words("it's april twenty twenty seven", 4000));
        assertEquals("it's [EXPIRY]", date.text());
        assertEquals(List.of(new Redaction("EXPIRY", 4300, 5450)), date.redactions());
    }

    @Test
    void socialSecurityNumbersAndConfiguredPatternsWhenSwitchedOn() {
        String ssn = "my social is one two three four five six seven eight nine";
        assertEquals(ssn, redact(ssn).text());
        RedactionRules rules = new RedactionRules(
                true,
                true,
                true,
                4,
                Duration.ofSeconds(30),
                List.of(new RedactionRules.LabelledPattern("PASSWORD", Pattern.compile("(?<=password is )\\S+"))));
        CallRedactor call = new CallRedactor(rules);
        assertEquals("my social is [SSN]", call.redactFinal(words(ssn, 0)).text());
        RedactedWords r = call.redactFinal(words("my password is swordfish okay", 0));
        assertEquals("my password is [PASSWORD] okay", r.text());
        assertEquals(List.of(new Redaction("PASSWORD", 900, 1150)), r.redactions());
    }

    @Test
    void partialsMaskEveryRunOfFourDigitsAndTheFinalDecides() {
        CallRedactor call = new CallRedactor(RedactionRules.defaults());
        assertEquals(
                "it's [DIGITS]",
                call.maskPartial(words("it's four five five six", 0)).text());
        assertEquals(
                "it's one two three",
                call.maskPartial(words("it's one two three", 0)).text());
        assertEquals(
                "call me on [DIGITS]",
                call.maskPartial(words("call me on two three two six eight one", 0))
                        .text());
        assertEquals(
                "call me on two three two six eight one",
                call.redactFinal(words("call me on two three two six eight one", 0))
                        .text());
    }

    @Test
    void noDigitOfARedactedSpanSurvivesAnywhereInTheWords() {
        RedactedWords r = redact("card " + LUHN_VALID);
        assertFalse(r.words().stream().anyMatch(w -> w.word().matches(".*(four|five|six|seven|eight|nine|[0-9]).*")));
        assertEquals(2, r.words().size());
        assertEquals(0.9, r.words().get(1).confidence());
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new RedactionRules.LabelledPattern("card no", Pattern.compile("x")));
        assertTrue(e.getMessage().contains("upper-case"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new RedactionRules(true, true, false, 0, Duration.ofSeconds(30), List.of()));
        assertTrue(e.getMessage().contains("partialDigitRun"), e.getMessage());
    }
}
