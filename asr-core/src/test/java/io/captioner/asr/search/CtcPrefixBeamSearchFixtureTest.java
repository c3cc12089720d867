package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The search reproduces WeNet's own n-best on every fixture export: same token sequences in the
 * same order, CTC scores within 1e-3, same token times, same text; whole or in chunks.
 */
class CtcPrefixBeamSearchFixtureTest {

    static Stream<Arguments> exportsAndChunkSizes() {
        return WenetFixtures.exports().stream()
                .flatMap(export -> Stream.of(Integer.MAX_VALUE, 16, 1, 7).map(chunk -> Arguments.of(export, chunk)));
    }

    @ParameterizedTest(name = "{0} chunk {1}")
    @MethodSource("exportsAndChunkSizes")
    void reproducesWenetNbest(Path export, int chunkFrames) throws IOException {
        JsonNode ref = WenetFixtures.reference(export);
        int vocab = ref.get("vocab").asInt();
        float[][] logProbs = WenetFixtures.ctcLogProbs(export, vocab);
        assertEquals(ref.get("encoder_frames").asInt(), logProbs.length);
        SymbolTable units = WenetFixtures.units(export);
        assertEquals(vocab, units.size());

        CtcPrefixBeamSearch search =
                new CtcPrefixBeamSearch(new SearchOptions(ref.get("beam").asInt(), 10));
        for (int start = 0; start < logProbs.length; start += Math.min(chunkFrames, logProbs.length)) {
            int end = (int) Math.min((long) start + chunkFrames, logProbs.length);
            search.advance(Arrays.copyOfRange(logProbs, start, end));
        }
        assertEquals(logProbs.length, search.framesSearched());

        List<Hypothesis> nbest = search.finalNbest();
        JsonNode expected = ref.get("prefix_beam_nbest");
        assertEquals(expected.size(), nbest.size(), "n-best size");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            Hypothesis got = nbest.get(i);
            assertArrayEquals(WenetFixtures.ints(want.get("tokens")), got.tokens(), "tokens of hypothesis " + i);
            assertEquals(want.get("ctc_score").asDouble(), got.ctcScore(), 1e-3, "CTC score of hypothesis " + i);
            assertArrayEquals(WenetFixtures.ints(want.get("times")), got.tokenFrames(), "times of hypothesis " + i);
            assertEquals(want.get("text").asText(), units.detokenize(got.tokens()), "text of hypothesis " + i);
            assertEquals(0.0, got.contextScore());
        }
    }
}
