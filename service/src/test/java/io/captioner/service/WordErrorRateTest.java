package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordErrorRateTest {
    @Test
    void countsSubstitutionsInsertionsAndDeletions() {
        assertEquals(0.0, WordErrorRate.of("check my balance", "Check my  balance"));
        assertEquals(1 / 3.0, WordErrorRate.of("check my balance", "check the balance"), 1e-9);
        assertEquals(1 / 3.0, WordErrorRate.of("check my balance", "check balance"), 1e-9);
        assertEquals(2 / 3.0, WordErrorRate.of("check my balance", "please check my balance now"), 1e-9);
        assertEquals(1.0, WordErrorRate.of("check my balance", ""));
    }
}
