package io.captioner.asr.cli;

import io.captioner.asr.DecodeOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How to decode, as command-line options (a picocli mixin of {@code transcribe} and the LM tuning bench): each
 * option left out keeps the runtime's default ({@link DecodeOptions#builder()}).
 */
public final class DecodingOptions {
    @Option(names = "--chunk-size", paramLabel = "N", description = "decoding chunk in frames after subsampling")
    private Integer chunkSize;

    @Option(names = "--left-chunks", paramLabel = "N", description = "chunks of left context (-1: all history)")
    private Integer leftChunks;

    @Option(names = "--full", description = "each input in one full-context encoder run (no partials)")
    private boolean full;

    @Option(
            names = "--streaming-finals",
            description = "finals rescore the streaming encoder output as WeNet does,"
                    + " instead of the utterance encoded again in full context")
    private boolean streamingFinals;

    @Option(names = "--beam", paramLabel = "N", description = "prefixes the search keeps")
    private Integer beam;

    @Option(names = "--final-beam", paramLabel = "N", description = "prefixes the final's full-context pass keeps")
    private Integer finalBeam;

    @Option(names = "--ctc-weight", paramLabel = "W", description = "CTC score's weight in the rescoring")
    private Double ctcWeight;

    @Option(names = "--reverse-weight", paramLabel = "W", description = "right-to-left decoder's weight")
    private Double reverseWeight;

    @Option(
            names = "--rescoring-margin",
            paramLabel = "NATS",
            description = "the decoder rescores hypotheses within this of the best CTC + LM score (Infinity: all)")
    private Double rescoringMargin;

    @Option(
            names = "--feature-normalization",
            paramLabel = "S",
            description = "move each stream's speech frames this share of the way from its running mean to the"
                    + " training audio's (0-1; models with feature_mean and feature_mean_speech)")
    private Double featureNormalization;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /** The runtime's defaults with the options given; a ParameterException names a contradiction. */
    public DecodeOptions.Builder builder() {
        if (full && streamingFinals) {
            throw new ParameterException(command.commandLine(), "--full and --streaming-finals exclude each other");
        }
        if (chunkSize != null && chunkSize <= 0) {
            throw new ParameterException(
                    command.commandLine(), "--chunk-size must be positive (use --full for full context)");
        }
        DecodeOptions.Builder o = DecodeOptions.builder().fullContext(full).fullContextFinals(!streamingFinals);
        if (chunkSize != null) {
            o.chunkSize(chunkSize);
        }
        if (leftChunks != null) {
            o.leftChunks(leftChunks);
        }
        if (beam != null) {
            o.beam(beam);
        }
        if (finalBeam != null) {
            o.finalBeam(finalBeam);
        }
        if (ctcWeight != null) {
            o.ctcWeight(ctcWeight);
        }
        if (reverseWeight != null) {
            o.reverseWeight(reverseWeight);
        }
        if (rescoringMargin != null) {
            o.rescoringMargin(rescoringMargin);
        }
        if (featureNormalization != null) {
            o.featureNormalization(featureNormalization);
        }
        return o;
    }
}
