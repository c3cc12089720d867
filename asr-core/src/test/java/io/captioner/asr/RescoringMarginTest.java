package io.captioner.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.audio.WavReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention decoder rescores only the hypotheses within the margin of the best CTC + LM score. */
class RescoringMarginTest {
    @Test
    void theMarginNarrowsWhatIsRescoredWithoutChangingTheFinal() throws Exception {
        short[] speech = WavReader.read(
                        EncoderBatchingTest.SHIPPED.resolve("contract").resolve("speech_8k.wav"))
                .samples();
        try (AsrModel model = AsrModel.load(EncoderBatchingTest.SHIPPED)) {
            AsrResult all = finalOf(model, Double.POSITIVE_INFINITY, speech);
            AsrResult byDefault = finalOf(model, DecodeOptions.DEFAULT_RESCORING_MARGIN, speech);
            AsrResult onlyTheBest = finalOf(model, 0, speech);
            assertEquals(80, all.nbest().size(), "the final beam's n-best, all rescored");
            assertTrue(
                    byDefault.nbest().size() < all.nbest().size()
                            && byDefault.nbest().size() > 1,
                    "rescored within 15 nats: " + byDefault.nbest().size());
            assertEquals(1, onlyTheBest.nbest().size());
            assertEquals(all.text(), byDefault.text());
            // the hypotheses kept are scored as they were among all 80
            for (var kept : byDefault.nbest()) {
                var same = all.nbest().stream()
                        .filter(h -> Arrays.equals(h.tokens(), kept.tokens()))
                        .findFirst()
                        .orElseThrow();
                assertEquals(same.finalScore(), kept.finalScore(), 1e-3, kept.text());
            }
        }
    }

    private static AsrResult finalOf(AsrModel model, double margin, short[] speech) {
        StreamingRecognizer r = model.newRecognizer(DecodeOptions.builder()
                .rescoringMargin(margin)
                .endpointRules(StreamingRecognizerTest.NO_ENDPOINTS)
                .build());
        List<AsrResult> results = StreamingRecognizerTest.feed(r, speech, 8000, 1600);
        AsrResult last = results.get(results.size() - 1);
        assertTrue(last.isFinal());
        return last;
    }
}
