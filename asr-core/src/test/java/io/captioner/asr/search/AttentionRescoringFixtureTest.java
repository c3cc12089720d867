package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The combination rule against WeNet's numbers: each reference hypothesis' decoder sums are put
 * into the eos row of otherwise zero decoder outputs, so the combiner must reproduce WeNet's
 * {@code rescoring} and {@code final} and pick {@code best_tokens}. (The decoder outputs
 * themselves come from ONNX Runtime and are checked by the runtime's tests.)
 */
class AttentionRescoringFixtureTest {

    static List<Path> exports() {
        return WenetFixtures.exports();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void reproducesWenetRescoringAndFinalScores(Path export) throws IOException {
        JsonNode ref = WenetFixtures.reference(export);
        int vocab = ref.get("vocab").asInt();
        int eos = 2;
        double reverseWeight = ref.get("reverse_weight").asDouble();
        JsonNode nbest = ref.get("prefix_beam_nbest");
        List<int[]> hypotheses = new ArrayList<>();
        float[][][] l2r = new float[nbest.size()][][];
        float[][][] r2l = reverseWeight > 0 ? new float[nbest.size()][][] : null;
        double[] ctc = new double[nbest.size()];
        for (int i = 0; i < nbest.size(); i++) {
            JsonNode hyp = nbest.get(i);
            int[] tokens = WenetFixtures.ints(hyp.get("tokens"));
            hypotheses.add(tokens);
            ctc[i] = hyp.get("ctc_score").asDouble();
            l2r[i] = new float[tokens.length + 1][vocab];
            l2r[i][tokens.length][eos] = (float) hyp.get("l2r").asDouble();
            if (r2l != null) {
                r2l[i] = new float[tokens.length + 1][vocab];
                r2l[i][tokens.length][eos] = (float) hyp.get("r2l").asDouble();
            }
        }
        List<AttentionRescoring.Score> scores = AttentionRescoring.score(
                hypotheses,
                l2r,
                r2l,
                ctc,
                eos,
                new AttentionRescoring.Weights(
                        reverseWeight, ref.get("ctc_weight").asDouble(), 1.0));

        for (int i = 0; i < nbest.size(); i++) {
            assertEquals(nbest.get(i).get("rescoring").asDouble(), scores.get(i).rescoring(), 1e-4, "rescoring " + i);
            assertEquals(nbest.get(i).get("final").asDouble(), scores.get(i).total(), 1e-4, "final " + i);
        }
        assertArrayEquals(
                WenetFixtures.ints(ref.get("best_tokens")), hypotheses.get(AttentionRescoring.bestIndex(scores)));
    }
}
