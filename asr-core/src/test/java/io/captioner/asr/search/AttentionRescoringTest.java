package io.captioner.asr.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed combinations; vocabulary {0 blank, 1 a, 2 b, 3 eos}. */
class AttentionRescoringTest {
    private static final int EOS = 3;

    /** Row j holds the log-probability {@code value} at column {@code col}, everything else -9. */
    private static float[][] rows(int[][] cells, float[] values, int length) {
        float[][] rows = new float[length][4];
        for (float[] row : rows) {
            java.util.Arrays.fill(row, -9f);
        }
        for (int k = 0; k < cells.length; k++) {
            rows[cells[k][0]][cells[k][1]] = values[k];
        }
        return rows;
    }

    /**
     * Hypothesis 0 = [a, b], ctc -1.0. L2R rows: a -0.5, b -0.25, eos -0.125 → l2r = -0.875.
     * R2L reads [b, a]: row0 b -1.0, row1 a -0.5, row2 eos -0.25 → r2l = -1.75.
     * rw 0.3: rescoring = 0.7·-0.875 + 0.3·-1.75 = -0.6125 - 0.525 = -1.1375;
     * total = 1.0·-1.1375 + 0.5·-1.0 = -1.6375.
     * Hypothesis 1 = [b], ctc -0.5. L2R: b -2.0, eos -1.0 → -3.0; R2L: b -1.5, eos -0.5 → -2.0;
     * rescoring = 0.7·-3 + 0.3·-2 = -2.7; total = -2.7 - 0.25 = -2.95. Best: hypothesis 0.
     */
    @Test
    void combinesBothDirectionsAndCtc() {
        float[][][] l2r = {
            rows(new int[][] {{0, 1}, {1, 2}, {2, EOS}}, new float[] {-0.5f, -0.25f, -0.125f}, 3),
            rows(new int[][] {{0, 2}, {1, EOS}}, new float[] {-2.0f, -1.0f}, 3),
        };
        float[][][] r2l = {
            rows(new int[][] {{0, 2}, {1, 1}, {2, EOS}}, new float[] {-1.0f, -0.5f, -0.25f}, 3),
            rows(new int[][] {{0, 2}, {1, EOS}}, new float[] {-1.5f, -0.5f}, 3),
        };
        List<AttentionRescoring.Score> scores = AttentionRescoring.score(
                List.of(new int[] {1, 2}, new int[] {2}),
                l2r,
                r2l,
                new double[] {-1.0, -0.5},
                EOS,
                new AttentionRescoring.Weights(0.3, 0.5, 1.0));

        assertEquals(-0.875, scores.get(0).l2r(), 1e-9);
        assertEquals(-1.75, scores.get(0).r2l(), 1e-9);
        assertEquals(-1.1375, scores.get(0).rescoring(), 1e-9);
        assertEquals(-1.6375, scores.get(0).total(), 1e-9);
        assertEquals(-3.0, scores.get(1).l2r(), 1e-9);
        assertEquals(-2.0, scores.get(1).r2l(), 1e-9);
        assertEquals(-2.7, scores.get(1).rescoring(), 1e-9);
        assertEquals(-2.95, scores.get(1).total(), 1e-9);
        assertEquals(0, AttentionRescoring.bestIndex(scores));
    }

    /**
     * CTC weight can overturn the decoder: with ctc weight 5, totals are -1.1375 - 5 = -6.1375 and
     * -2.7 - 2.5 = -5.2, so hypothesis 1 wins.
     */
    @Test
    void ctcWeightCanChangeTheWinner() {
        float[][][] l2r = {
            rows(new int[][] {{0, 1}, {1, 2}, {2, EOS}}, new float[] {-0.5f, -0.25f, -0.125f}, 3),
            rows(new int[][] {{0, 2}, {1, EOS}}, new float[] {-2.0f, -1.0f}, 3),
        };
        float[][][] r2l = {
            rows(new int[][] {{0, 2}, {1, 1}, {2, EOS}}, new float[] {-1.0f, -0.5f, -0.25f}, 3),
            rows(new int[][] {{0, 2}, {1, EOS}}, new float[] {-1.5f, -0.5f}, 3),
        };
        List<AttentionRescoring.Score> scores = AttentionRescoring.score(
                List.of(new int[] {1, 2}, new int[] {2}),
                l2r,
                r2l,
                new double[] {-1.0, -0.5},
                EOS,
                new AttentionRescoring.Weights(0.3, 5.0, 1.0));
        assertEquals(-6.1375, scores.get(0).total(), 1e-9);
        assertEquals(-5.2, scores.get(1).total(), 1e-9);
        assertEquals(1, AttentionRescoring.bestIndex(scores));
    }

    /** Without a right-to-left decoder (reverse weight 0) rescoring is the L2R sum. */
    @Test
    void leftToRightOnly() {
        float[][][] l2r = {rows(new int[][] {{0, 1}, {1, EOS}}, new float[] {-0.5f, -0.25f}, 2)};
        List<AttentionRescoring.Score> scores = AttentionRescoring.score(
                List.of(new int[] {1}),
                l2r,
                null,
                new double[] {-2.0},
                EOS,
                new AttentionRescoring.Weights(0, 0.5, 1.0));
        assertEquals(-0.75, scores.get(0).rescoring(), 1e-9);
        assertEquals(0.0, scores.get(0).r2l());
        assertEquals(-1.75, scores.get(0).total(), 1e-9);
    }

    @Test
    void emptyHypothesisScoresOnlyEos() {
        float[][][] l2r = {rows(new int[][] {{0, EOS}}, new float[] {-0.1f}, 1)};
        float[][][] r2l = {rows(new int[][] {{0, EOS}}, new float[] {-0.3f}, 1)};
        List<AttentionRescoring.Score> scores = AttentionRescoring.score(
                List.of(new int[0]), l2r, r2l, new double[] {-4.0}, EOS, new AttentionRescoring.Weights(0.5, 0.5, 1.0));
        assertEquals(-0.2, scores.get(0).rescoring(), 1e-6);
        assertEquals(-2.2, scores.get(0).total(), 1e-6);
    }

    @Test
    void mismatchedShapesAreReported() {
        float[][][] l2r = {new float[1][4]};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionRescoring.score(
                        List.of(new int[] {1, 2}),
                        l2r,
                        null,
                        new double[] {0},
                        EOS,
                        new AttentionRescoring.Weights(0, 0.5, 1)));
        assertTrue(e.getMessage().contains("hypothesis 0 has 2 tokens"), e.getMessage());
        IllegalArgumentException noReverse = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionRescoring.score(
                        List.of(new int[0]),
                        l2r,
                        null,
                        new double[] {0},
                        EOS,
                        new AttentionRescoring.Weights(0.3, 0.5, 1)));
        assertTrue(noReverse.getMessage().contains("no right-to-left output"), noReverse.getMessage());
    }
}
