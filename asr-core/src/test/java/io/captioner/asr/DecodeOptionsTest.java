package io.captioner.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decode options are built one by one; each invalid value is refused with its own reason. */
class DecodeOptionsTest {
    @Test
    void aBuilderFromOptionsChangesOnlyWhatItIsTold() {
        DecodeOptions base = DecodeOptions.builder()
                .beam(7)
                .chunkSize(8)
                .hotwords(List.of("acme"))
                .hotwordBoost(5.0)
                .build();
        DecodeOptions changed = base.toBuilder().ctcWeight(0.3).build();
        assertEquals(
                new DecodeOptions(
                        8,
                        0,
                        false,
                        true,
                        7,
                        80,
                        0.3,
                        DecodeOptions.DEFAULT_RESCORING_MARGIN,
                        Double.NaN,
                        base.endpointRules(),
                        List.of("acme"),
                        5.0,
                        false,
                        DecodeOptions.POSITION_TABLE_SIZE,
                        3,
                        0.0,
                        base.languageModel()),
                changed);
        assertEquals(base, base.toBuilder().build());
        assertEquals(20, DecodeOptions.defaults().beam());
    }

    @Test
    void eachInvalidValueHasItsOwnMessage() {
        assertEquals(
                "beam must be 1 or more, got 0", problem(DecodeOptions.builder().beam(0)));
        assertEquals(
                "rescoring margin must be 0 or more, got -1.0",
                problem(DecodeOptions.builder().rescoringMargin(-1)));
        assertEquals(
                "final beam must be 1 or more, got 0",
                problem(DecodeOptions.builder().finalBeam(0)));
        assertEquals(
                "chunk size must be 0 (the model's) or more, got -2",
                problem(DecodeOptions.builder().chunkSize(-2)));
        assertEquals(
                "CTC weight must be 0 or more, got -0.5",
                problem(DecodeOptions.builder().ctcWeight(-0.5)));
        assertEquals(
                "CTC weight must be 0 or more, got NaN",
                problem(DecodeOptions.builder().ctcWeight(Double.NaN)));
        assertEquals(
                "reverse weight 1.5 outside [0, 1]",
                problem(DecodeOptions.builder().reverseWeight(1.5)));
        assertEquals(
                "hotword boost must be 0 or more, got -1.0",
                problem(DecodeOptions.builder().hotwordBoost(-1)));
        assertEquals(
                "max encoder frames must be 1 or more, got 0",
                problem(DecodeOptions.builder().maxEncoderFrames(0)));
        assertEquals(
                "stable prefix window must be 1 or more, got 0",
                problem(DecodeOptions.builder().stablePrefixWindow(0)));
        assertEquals(
                "language model weights are missing",
                problem(DecodeOptions.builder().languageModel(null)));
    }

    private static String problem(DecodeOptions.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }
}
