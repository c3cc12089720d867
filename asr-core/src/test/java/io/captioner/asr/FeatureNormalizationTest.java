package io.captioner.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.audio.WavReader;
import io.captioner.asr.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Feature normalisation applies where a model carries the training means, and nowhere else. */
class FeatureNormalizationTest {
    @Test
    void itMovesTheFeaturesOfAModelThatCarriesTheTrainingMeans() throws Exception {
        Path shipped = EncoderBatchingTest.SHIPPED;
        short[] speech = WavReader.read(shipped.resolve("contract").resolve("speech_8k.wav"))
                .samples();
        try (AsrModel model = AsrModel.load(shipped)) {
            assertTrue(model.metadata().speechFeatureMean().isPresent());
            AsrResult off = finalOf(model, 0, speech);
            AsrResult on = finalOf(model, 0.5, speech);
            assertFalse(on.text().isEmpty());
            assertNotEquals(off.nbest().get(0).ctcScore(), on.nbest().get(0).ctcScore());
        }
    }

    @Test
    void aWenetExportWithoutThemDecodesAsWithout() throws Exception {
        short[] speech = WavReader.read(Fixtures.audio("speech_16k.wav")).samples();
        try (AsrModel model = AsrModel.load(Fixtures.export("dense", "16_-1"))) {
            AsrResult off = finalOf(model, 0, speech);
            AsrResult on = finalOf(model, 0.5, speech);
            assertEquals(off.text(), on.text());
            assertEquals(off.nbest().get(0).finalScore(), on.nbest().get(0).finalScore());
        }
    }

    private static AsrResult finalOf(AsrModel model, double strength, short[] speech) {
        StreamingRecognizer r = model.newRecognizer(DecodeOptions.builder()
                .featureNormalization(strength)
                .endpointRules(StreamingRecognizerTest.NO_ENDPOINTS)
                .build());
        List<AsrResult> results =
                StreamingRecognizerTest.feed(r, speech, model.metadata().sampleRate(), 1600);
        return results.get(results.size() - 1);
    }
}
