package io.captioner.asr;

import io.captioner.asr.model.EncoderOutput;
import io.captioner.asr.model.EncoderState;
import io.captioner.asr.model.WenetOnnxModel;
import io.captioner.asr.search.ContextGraph;
import io.captioner.asr.search.CtcPrefixBeamSearch;
import io.captioner.asr.search.Hypothesis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The final's pass over the whole utterance ({@link DecodeOptions#fullContextFinals()}): keeps the feature
 * frames that the utterance's chunks were cut from, encodes them again in one full-context run with empty
 * caches, and searches that encoding with a prefix search of its own. Part of one {@link StreamingRecognizer},
 * on its thread.
 */
final class FullContextPass {
    private final WenetOnnxModel model;
    private final int featureSize;
    private final EncoderState state;
    private final CtcPrefixBeamSearch search;
    private final List<float[]> features = new ArrayList<>();
    private int frames;

    /** The utterance encoded in full context and the n-best of its search. */
    record Result(EncoderOutput encoding, List<Hypothesis> nbest) {}

    FullContextPass(WenetOnnxModel model, int featureSize, CtcPrefixBeamSearch search) {
        this.model = model;
        this.featureSize = featureSize;
        this.state = model.newEncoderState(1, -1);
        this.search = search;
    }

    void setContextGraph(ContextGraph graph) {
        search.setContextGraph(graph);
    }

    /** Keeps the last {@code newFrames} frames of a chunk's features (the earlier ones overlap the chunk before). */
    void addChunk(float[] chunkFeatures, int chunkFrames, int newFrames) {
        features.add(Arrays.copyOfRange(chunkFeatures, (chunkFrames - newFrames) * featureSize, chunkFeatures.length));
        frames += newFrames;
    }

    /** Encodes the utterance so far in one run and searches it; null when the encoder gives no frames. */
    Result run() throws Exception {
        state.reset();
        EncoderOutput encoding =
                model.forward(StreamingRecognizer.flatten(features, frames * featureSize), frames, state);
        if (encoding.frames() == 0) {
            return null;
        }
        search.reset();
        search.advance(encoding.ctcLogProbs());
        return new Result(encoding, search.finalNbest());
    }

    /** Forgets the utterance's features, for the next one. */
    void reset() {
        features.clear();
        frames = 0;
    }
}
