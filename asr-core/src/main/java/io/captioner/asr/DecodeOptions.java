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
 * @param fullContextFinals partials stream, and at each endpoint the utterance is encoded again in one
 *     run with full context (as U2++ also trains the encoder) for the search and rescoring of its final;
 *     off, the final rescores the streaming encoder output as WeNet's runtime does. Needs an export that
 *     keeps all history; a limited-left export keeps streaming finals
 * @param beam prefixes kept by the CTC prefix beam search (and n-best size)
 * @param finalBeam prefixes kept by the search of the full-context final pass (and the n-best size the
 *     final is rescored from); the partials keep {@code beam}. Only with {@code fullContextFinals}
 * @param ctcWeight weight of the CTC score in the final (rescored) score
 * @param rescoringMargin the attention decoder rescores only the hypotheses whose score without it (CTC
 *     and LM parts of the final score) is within this many nats of the best one's; infinity rescores all
 * @param reverseWeight share of the right-to-left decoder; NaN = the export's reverse_weight
 * @param endpointRules WeNet's three endpoint rules
 * @param hotwords phrases to boost (empty for none)
 * @param hotwordBoost score per matched unit of a hotword
 * @param inverseTextNormalization rewrite spoken numbers as digits on finals
 * @param maxEncoderFrames the encoder's position table size: an utterance is ended before it would
 *     run past it (WeNet's exports: 5000)
 * @param stablePrefixWindow partials a prefix must survive unchanged to count as stable
 * @param featureNormalization how far each stream's fbank frames move from the stream's running mean speech
 *     frame towards the training audio's ({@link io.captioner.asr.fbank.FeatureMeanNormalizer}; 0 = not at all;
 *     only models whose metadata has {@code feature_mean} and {@code feature_mean_speech})
 * @param languageModel how the model's word language model is weighed, when it has one
 */
public record DecodeOptions(
        int chunkSize,
        int leftChunks,
        boolean fullContext,
        boolean fullContextFinals,
        int beam,
        int finalBeam,
        double ctcWeight,
        double rescoringMargin,
        double reverseWeight,
        EndpointRules endpointRules,
        List<String> hotwords,
        double hotwordBoost,
        boolean inverseTextNormalization,
        int maxEncoderFrames,
        int stablePrefixWindow,
        double featureNormalization,
        LanguageModelFusion.Weights languageModel) {

    public static final int POSITION_TABLE_SIZE = 5000;
    /**
     * With 15 nats, MoE version 14 with its LM (final beam 80) gave the same hypothesis on every utterance of
     * the five held-out sets as with all 80 rescored, while the attention decoder took about a quarter less
     * time (README, "How many hypotheses the decoder rescores").
     */
    public static final double DEFAULT_RESCORING_MARGIN = 15.0;

    public DecodeOptions {
        hotwords = List.copyOf(hotwords);
        require(chunkSize >= 0, "chunk size must be 0 (the model's) or more, got " + chunkSize);
        require(beam >= 1, "beam must be 1 or more, got " + beam);
        require(finalBeam >= 1, "final beam must be 1 or more, got " + finalBeam);
        require(ctcWeight >= 0, "CTC weight must be 0 or more, got " + ctcWeight);
        require(rescoringMargin >= 0, "rescoring margin must be 0 or more, got " + rescoringMargin);
        require(
                Double.isNaN(reverseWeight) || (reverseWeight >= 0 && reverseWeight <= 1),
                "reverse weight " + reverseWeight + " outside [0, 1]");
        require(endpointRules != null, "endpoint rules are missing");
        require(hotwordBoost >= 0, "hotword boost must be 0 or more, got " + hotwordBoost);
        require(maxEncoderFrames >= 1, "max encoder frames must be 1 or more, got " + maxEncoderFrames);
        require(stablePrefixWindow >= 1, "stable prefix window must be 1 or more, got " + stablePrefixWindow);
        require(
                featureNormalization >= 0 && featureNormalization <= 1,
                "feature normalization must lie in [0, 1], got " + featureNormalization);
        require(languageModel != null, "language model weights are missing");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The {@link Builder defaults}. */
    public static DecodeOptions defaults() {
        return builder().build();
    }

    /**
     * The model's own streaming settings and WeNet's runtime defaults, except three: the beam is 20 instead
     * of WeNet's 10, because with the word LM the wider beam cut the shipped MoE model's held-out WER from
     * 35.8% to 33.7% (its model card) for about 1.6x the decoding time; finals are decoded from a
     * full-context encoding of the utterance (its model card has the WER with and without); and that
     * pass keeps 80 prefixes, which cut MoE version 6's WER on the three sentence sets from 25.2% (20) to
     * 22.9% for about 2.2x the decoding time (README, "Finals from a full-context pass").
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder()
                .chunkSize(chunkSize)
                .leftChunks(leftChunks)
                .fullContext(fullContext)
                .fullContextFinals(fullContextFinals)
                .beam(beam)
                .finalBeam(finalBeam)
                .ctcWeight(ctcWeight)
                .rescoringMargin(rescoringMargin)
                .reverseWeight(reverseWeight)
                .endpointRules(endpointRules)
                .hotwords(hotwords)
                .hotwordBoost(hotwordBoost)
                .inverseTextNormalization(inverseTextNormalization)
                .maxEncoderFrames(maxEncoderFrames)
                .stablePrefixWindow(stablePrefixWindow)
                .featureNormalization(featureNormalization)
                .languageModel(languageModel);
    }

    /** Options one by one; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private int chunkSize;
        private int leftChunks;
        private boolean fullContext;
        private boolean fullContextFinals = true;
        private int beam = 20;
        private int finalBeam = 80;
        private double ctcWeight = 0.5;
        private double rescoringMargin = DEFAULT_RESCORING_MARGIN;
        private double reverseWeight = Double.NaN;
        private EndpointRules endpointRules = EndpointRules.DEFAULTS;
        private List<String> hotwords = List.of();
        private double hotwordBoost = ContextGraph.DEFAULT_BOOST;
        private boolean inverseTextNormalization;
        private int maxEncoderFrames = POSITION_TABLE_SIZE;
        private int stablePrefixWindow = 3;
        private double featureNormalization;
        private LanguageModelFusion.Weights languageModel = LanguageModelFusion.Weights.DEFAULTS;

        private Builder() {}

        public Builder chunkSize(int value) {
            this.chunkSize = value;
            return this;
        }

        public Builder leftChunks(int value) {
            this.leftChunks = value;
            return this;
        }

        public Builder fullContext(boolean value) {
            this.fullContext = value;
            return this;
        }

        public Builder fullContextFinals(boolean value) {
            this.fullContextFinals = value;
            return this;
        }

        public Builder beam(int value) {
            this.beam = value;
            return this;
        }

        public Builder finalBeam(int value) {
            this.finalBeam = value;
            return this;
        }

        public Builder ctcWeight(double value) {
            this.ctcWeight = value;
            return this;
        }

        public Builder rescoringMargin(double value) {
            this.rescoringMargin = value;
            return this;
        }

        public Builder reverseWeight(double value) {
            this.reverseWeight = value;
            return this;
        }

        public Builder endpointRules(EndpointRules value) {
            this.endpointRules = value;
            return this;
        }

        public Builder hotwords(List<String> phrases) {
            this.hotwords = phrases;
            return this;
        }

        public Builder hotwordBoost(double value) {
            this.hotwordBoost = value;
            return this;
        }

        public Builder inverseTextNormalization(boolean value) {
            this.inverseTextNormalization = value;
            return this;
        }

        public Builder maxEncoderFrames(int value) {
            this.maxEncoderFrames = value;
            return this;
        }

        public Builder stablePrefixWindow(int value) {
            this.stablePrefixWindow = value;
            return this;
        }

        public Builder featureNormalization(double value) {
            this.featureNormalization = value;
            return this;
        }

        public Builder languageModel(LanguageModelFusion.Weights value) {
            this.languageModel = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid option and its value */
        public DecodeOptions build() {
            return new DecodeOptions(
                    chunkSize,
                    leftChunks,
                    fullContext,
                    fullContextFinals,
                    beam,
                    finalBeam,
                    ctcWeight,
                    rescoringMargin,
                    reverseWeight,
                    endpointRules,
                    hotwords,
                    hotwordBoost,
                    inverseTextNormalization,
                    maxEncoderFrames,
                    stablePrefixWindow,
                    featureNormalization,
                    languageModel);
        }
    }
}
