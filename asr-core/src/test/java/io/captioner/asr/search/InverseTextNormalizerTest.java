package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InverseTextNormalizerTest {
    private final InverseTextNormalizer itn = new InverseTextNormalizer();

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "four two one|421",
                "my pin is four two one thanks|my pin is 421 thanks",
                "twenty five|25",
                "one hundred and twenty|120",
                "one hundred twenty five|125",
                "three point five|3.5",
                "pi is three point one four|pi is 3.14",
                "two thousand and five|2005",
                "nineteen eighty four|1984",
                "twenty five hundred|2500",
                "two million three hundred thousand and one|2300001",
                "call five five five one two three four now|call 5551234 now",
                "twenty zero|200",
                "one one|11",
            })
    void rewritesNumberRuns(String spoken, String written) {
        assertEquals(written, itn.normalize(spoken));
    }

    @ParameterizedTest(name = "''{0}'' unchanged")
    @CsvSource(
            delimiter = '|',
            value = {
                "one of them",
                "it is the one",
                "twenty",
                "a hundred people",
                "hundred",
                "one and two",
                "the point is",
                "one point of view",
                "no numbers here",
                "''",
            })
    void leavesSingleNumberWordsAndOrdinaryTextAlone(String text) {
        assertEquals(text, itn.normalize(text));
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "one and twenty five|one and 25",
                "hundred and twenty five|hundred and 25",
                "seven million million|7000000 million",
            })
    void stopsAtWordsThatCannotContinue(String spoken, String written) {
        assertEquals(written, itn.normalize(spoken));
    }
}
