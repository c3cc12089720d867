package io.captioner.asr;

import io.captioner.asr.search.ContextGraph;
import io.captioner.asr.search.EndpointRules;
import io.captioner.asr.search.LanguageModelFusion;
import java.util.List;

/**
 * Per-stream decoding options. Zero / NaN mean "as the model's metadata says".
 *
 * @param chunkSize encoder frames per chunk; 0 = the export's chunk_size
 * @param leftChunks left chunks kept in the attention cache; 0 = the export's left_chunks
 *     (only limited-left exports, which take att_mask, accept a value > 0)
 * @param fullContext decode each utterance in one encoder run at its end (no partials)
 * @param beam prefixes kept by the CTC prefix beam search (and n-best size)
 * @param ctcWeight weight of the CTC score in the final (rescored) score
 * @param reverseWeight share of the right-to-left decoder; NaN = the export's reverse_weight
 * @param endpointRules WeNet's three endpoint rules
 * @param hotwords phrases to boost (empty for none)
 * @param hotwordBoost score per matched unit of a hotword
 * @param inverseTextNormalization rewrite spoken numbers as digits on finals
 * @param maxEncoderFrames the encoder's position table size: an utterance is ended before it would
 *     run past it (WeNet's exports: 5000)
 * @param stablePrefixWindow partials a prefix must survive unchanged to count as stable
 * @param languageModel how the model's word language model is weighed, when it has one
 */
public record DecodeOptions(
        int chunkSize,
        int leftChunks,
        boolean fullContext,
        int beam,
        double ctcWeight,
        double reverseWeight,
        EndpointRules endpointRules,
        List<String> hotwords,
        double hotwordBoost,
        boolean inverseTextNormalization,
        int maxEncoderFrames,
        int stablePrefixWindow,
        LanguageModelFusion.Weights languageModel) {

    public static final int POSITION_TABLE_SIZE = 5000;

    public DecodeOptions {
        hotwords = List.copyOf(hotwords);
        if (languageModel == null) {
            throw new IllegalArgumentException("language model weights are missing");
        }
        if (chunkSize < 0 || beam < 1 || ctcWeight < 0 || maxEncoderFrames < 1 || stablePrefixWindow < 1) {
            throw new IllegalArgumentException("invalid decode options: chunkSize " + chunkSize + ", beam " + beam
                    + ", ctcWeight " + ctcWeight + ", maxEncoderFrames " + maxEncoderFrames
                    + ", stablePrefixWindow " + stablePrefixWindow);
        }
        if (!Double.isNaN(reverseWeight) && (reverseWeight < 0 || reverseWeight > 1)) {
            throw new IllegalArgumentException("reverse weight " + reverseWeight + " outside [0, 1]");
        }
    }

    /**
     * The model's own streaming settings and WeNet's runtime defaults, except the beam: 20 instead of
     * WeNet's 10, because with the word LM the wider beam cut the shipped MoE model's held-out WER from
     * 35.8% to 33.7% (its model card) for about 1.6x the decoding time.
     */
    public static DecodeOptions defaults() {
        return new DecodeOptions(0, 0, false, 20, 0.5, Double.NaN, EndpointRules.DEFAULTS, List.of(),
                ContextGraph.DEFAULT_BOOST, false, POSITION_TABLE_SIZE, 3, LanguageModelFusion.Weights.DEFAULTS);
    }

    public DecodeOptions withChunkSize(int value) {
        return new DecodeOptions(value, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withLeftChunks(int value) {
        return new DecodeOptions(chunkSize, value, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withFullContext(boolean value) {
        return new DecodeOptions(chunkSize, leftChunks, value, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withBeam(int value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, value, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withCtcWeight(double value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, value, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withReverseWeight(double value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, value, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withEndpointRules(EndpointRules value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, value,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withHotwords(List<String> phrases, double boost) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                phrases, boost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withInverseTextNormalization(boolean value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, value, maxEncoderFrames, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withMaxEncoderFrames(int value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, value, stablePrefixWindow, languageModel);
    }

    public DecodeOptions withStablePrefixWindow(int value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, value, languageModel);
    }

    public DecodeOptions withLanguageModel(LanguageModelFusion.Weights value) {
        return new DecodeOptions(chunkSize, leftChunks, fullContext, beam, ctcWeight, reverseWeight, endpointRules,
                hotwords, hotwordBoost, inverseTextNormalization, maxEncoderFrames, stablePrefixWindow, value);
    }
}
