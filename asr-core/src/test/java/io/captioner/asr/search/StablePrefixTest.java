package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StablePrefixTest {

    @Test
    void needsAFullWindowOfPartials() {
        StablePrefix stable = new StablePrefix(3);
        assertEquals(0, stable.update("hello"));
        assertEquals(0, stable.update("hello"));
        assertEquals(5, stable.update("hello"));
    }

    @Test
    void stablePartIsTheCommonPrefixCutToWholeWords() {
        StablePrefix stable = new StablePrefix(3);
        stable.update("i want");
        stable.update("i want to");
        // "i want" is shared by all three; the next character is a space in every one → word boundary
        assertEquals(6, stable.update("i want to go"));
        // now "i want to" / "i want to go" / "i want to gold": common "i want to go" ends inside "gold"
        stable.update("i want to gold");
        assertEquals(9, stable.update("i want to gold bars"));
    }

    @Test
    void aChangedWordIsNotStable() {
        StablePrefix stable = new StablePrefix(2);
        stable.update("the cat");
        // common prefix "the ca" ends inside a word that changed → only "the"
        assertEquals(3, stable.update("the car"));
        assertEquals(0, stable.update("a car"));
    }

    @Test
    void windowOfOneMakesEverythingStableAndResetForgets() {
        StablePrefix one = new StablePrefix(1);
        assertEquals(7, one.update("the car"));
        StablePrefix two = new StablePrefix(2);
        two.update("hello");
        two.reset();
        assertEquals(0, two.update("hello"));
        assertThrows(IllegalArgumentException.class, () -> new StablePrefix(0));
    }
}
