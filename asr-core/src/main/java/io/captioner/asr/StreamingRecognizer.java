package io.captioner.asr;

import io.captioner.asr.audio.ComfortNoise;
import io.captioner.asr.audio.Resampler;
import io.captioner.asr.fbank.Fbank;
import io.captioner.asr.fbank.FeatureMeanNormalizer;
import io.captioner.asr.model.ChunkScheduler;
import io.captioner.asr.model.DecoderScores;
import io.captioner.asr.model.EncoderBatcher;
import io.captioner.asr.model.EncoderOutput;
import io.captioner.asr.model.EncoderState;
import io.captioner.asr.model.ModelMetadata;
import io.captioner.asr.model.WenetOnnxModel;
import io.captioner.asr.search.AttentionRescoring;
import io.captioner.asr.search.ContextGraph;
import io.captioner.asr.search.CtcPrefixBeamSearch;
import io.captioner.asr.search.EndpointRule;
import io.captioner.asr.search.Endpointer;
import io.captioner.asr.search.Hypothesis;
import io.captioner.asr.search.InverseTextNormalizer;
import io.captioner.asr.search.LanguageModelFusion;
import io.captioner.asr.search.SearchOptions;
import io.captioner.asr.search.StablePrefix;
import io.captioner.asr.search.SymbolTable;
import io.captioner.asr.search.TimedWord;
import io.captioner.asr.search.TokenTimes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Streaming recognition of one audio stream (one call leg), as WeNet's runtime does it: audio →
 * (resampling) → fbank → chunks → encoder + CTC → prefix beam search (a partial after every chunk)
 * → endpoint → attention rescoring over all encoder frames of the utterance (the final) → reset.
 * With {@link DecodeOptions#fullContextFinals()} the final's search and rescoring run on the utterance
 * encoded again in one full-context run instead, on the features its chunks were cut from, with a search
 * of its own that keeps {@link DecodeOptions#finalBeam()} prefixes.
 * Not thread-safe: feed one stream from one thread at a time. A failure inside this stream throws
 * {@link AsrStreamException} and ends this stream only.
 */
public final class StreamingRecognizer {
    /** The training mean counts as this many frames (3 s) of a stream's running mean at its start. */
    static final int FEATURE_MEAN_PRIOR_FRAMES = 300;

    private final WenetOnnxModel model;
    private final EncoderBatcher batcher; // null: every chunk runs alone
    private final ModelMetadata meta;
    private final SymbolTable units;
    private final DecodeOptions options;
    private final String streamId;
    private final int chunkSize;
    private final boolean fullContext;
    private final double reverseWeight;
    private final int frameShiftMs;

    private final Fbank fbank;
    private final FeatureMeanNormalizer featureMean; // null: frames as the front end computes them
    private final ChunkScheduler scheduler;
    private final EncoderState encoderState;
    private final LanguageModelFusion languageModel; // null without a language model
    private final CtcPrefixBeamSearch search;
    private final FullContextPass fullContextPass; // null unless finals are encoded again in full context
    private final Endpointer endpointer;
    private final StablePrefix stablePrefix;
    private final InverseTextNormalizer itn = new InverseTextNormalizer();
    private Resampler resampler;
    private final ComfortNoise comfortNoise = new ComfortNoise();
    private int inputRate;

    private final List<float[]> utteranceHidden = new ArrayList<>();
    private int utteranceFrames;
    private long utteranceStartFeatureFrame;
    private boolean utteranceHasPartials;
    private int segment;
    private long chunks;
    private boolean finished;
    private String failure;

    StreamingRecognizer(
            WenetOnnxModel model,
            EncoderBatcher batcher,
            LanguageModelFusion languageModel,
            DecodeOptions options,
            String streamId) {
        this.model = model;
        this.meta = model.metadata();
        this.units = model.units();
        this.options = options;
        this.streamId = streamId;
        boolean limitedGraph = model.limitedLeftContextGraph();
        this.fullContext = options.fullContext() || (options.chunkSize() == 0 && !meta.streaming());
        if (fullContext && limitedGraph) {
            throw new IllegalArgumentException(streamId + ": full context needs an export without a left-chunk "
                    + "limit; " + model.directory() + " was exported with left_chunks " + meta.leftChunks());
        }
        this.chunkSize = fullContext ? -1 : options.chunkSize() > 0 ? options.chunkSize() : meta.chunkSize();
        this.batcher = fullContext || limitedGraph ? null : batcher;
        int leftChunks;
        if (limitedGraph) {
            leftChunks = options.leftChunks() > 0 ? options.leftChunks() : meta.leftChunks();
            if (options.leftChunks() < 0) {
                throw new IllegalArgumentException(streamId + ": " + model.directory() + " is a limited-left export "
                        + "(left_chunks " + meta.leftChunks() + "); it cannot keep all history");
            }
        } else {
            if (options.leftChunks() > 0) {
                throw new IllegalArgumentException(
                        streamId + ": left chunks " + options.leftChunks() + " requested but " + model.directory()
                                + " keeps all history (no att_mask input); export it with left_chunks");
            }
            leftChunks = -1;
        }
        this.reverseWeight = Double.isNaN(options.reverseWeight()) ? meta.reverseWeight() : options.reverseWeight();
        if (reverseWeight > 0 && !model.hasReverseDecoder()) {
            throw new IllegalArgumentException(streamId + ": reverse weight " + reverseWeight + " but "
                    + model.directory() + "'s decoder has no right-to-left output");
        }
        this.frameShiftMs = meta.encoderFrameMs();
        this.fbank = new Fbank(meta.sampleRate(), meta.featureSize());
        this.featureMean = options.featureNormalization() > 0
                        && meta.featureMean().isPresent()
                        && meta.speechFeatureMean().isPresent()
                ? new FeatureMeanNormalizer(
                        meta.featureMean().get(),
                        meta.speechFeatureMean().get(),
                        options.featureNormalization(),
                        FEATURE_MEAN_PRIOR_FRAMES)
                : null;
        int maxFullFrames = (options.maxEncoderFrames() - 1) * meta.subsamplingRate() + meta.rightContext() + 1;
        this.scheduler = new ChunkScheduler(chunkSize, meta.subsamplingRate(), meta.rightContext(), maxFullFrames);
        this.encoderState = model.newEncoderState(Math.max(chunkSize, 1), leftChunks);
        if (!fullContext && encoderState.requiredCacheSize() + chunkSize > options.maxEncoderFrames()) {
            throw new IllegalArgumentException(
                    streamId + ": max encoder frames " + options.maxEncoderFrames() + " leaves no room for a chunk of "
                            + chunkSize + " after a cache of " + encoderState.requiredCacheSize());
        }
        this.languageModel = languageModel;
        this.search = new CtcPrefixBeamSearch(searchOptions(options.beam()), languageModel);
        this.fullContextPass = options.fullContextFinals() && !fullContext && !limitedGraph
                ? new FullContextPass(
                        model,
                        meta.featureSize(),
                        new CtcPrefixBeamSearch(searchOptions(options.finalBeam()), languageModel))
                : null;
        this.endpointer = new Endpointer(options.endpointRules(), frameShiftMs);
        this.stablePrefix = new StablePrefix(options.stablePrefixWindow());
        setHotwords(options.hotwords(), options.hotwordBoost());
    }

    public String streamId() {
        return streamId;
    }

    /** The chunk size in use (−1: full context). */
    public int chunkSize() {
        return chunkSize;
    }

    /** Encoder chunks run so far. */
    public long chunksDecoded() {
        return chunks;
    }

    /** Encoder frame offset of the current utterance (never exceeds the position table). */
    public long encoderOffset() {
        return encoderState.offset();
    }

    /** Replaces this stream's hotwords with the boost of its {@link DecodeOptions}. */
    public void setHotwords(List<String> phrases) {
        setHotwords(phrases, options.hotwordBoost());
    }

    /**
     * Replaces this stream's hotwords (empty for none); takes effect on the current utterance.
     * @throws IllegalArgumentException naming a phrase that the model's units cannot spell
     */
    public void setHotwords(List<String> phrases, double boost) {
        List<String> cleaned =
                phrases.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        ContextGraph graph = cleaned.isEmpty() ? null : ContextGraph.build(cleaned, units, boost);
        search.setContextGraph(graph);
        if (fullContextPass != null) {
            fullContextPass.setContextGraph(graph);
        }
    }

    /**
     * Feeds 16-bit PCM at any sample rate (resampled to the model's; the rate must not change within
     * a stream) and returns the results it completed: partials after each chunk, finals at endpoints.
     * Digital silence is replaced by {@link ComfortNoise} first.
     */
    public List<AsrResult> acceptAudio(short[] pcm, int sampleRate) {
        if (inputRate == 0) {
            if (sampleRate <= 0) {
                throw new IllegalArgumentException(streamId + ": sample rate " + sampleRate);
            }
            inputRate = sampleRate;
            if (sampleRate != meta.sampleRate()) {
                resampler = new Resampler(sampleRate, meta.sampleRate());
            }
        } else if (sampleRate != inputRate) {
            throw new IllegalArgumentException(
                    streamId + ": sample rate changed from " + inputRate + " to " + sampleRate + " within the stream");
        }
        float[] samples = new float[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            samples[i] = pcm[i];
        }
        comfortNoise.fill(samples);
        return acceptSamples(resampler == null ? samples : resampler.process(samples));
    }

    /** Feeds samples at the model's rate, int16-valued floats (not scaled to ±1). */
    public List<AsrResult> acceptSamples(float[] samples) {
        checkUsable();
        List<AsrResult> results = new ArrayList<>();
        guarded(() -> {
            scheduler.add(frontEnd(samples));
            decodeAvailable(false, results);
        });
        return results;
    }

    /** Ends the stream: decodes what is left (the last chunk if it has ≥ rc + 1 frames) and returns the final. */
    public List<AsrResult> finish() {
        checkUsable();
        List<AsrResult> results = new ArrayList<>();
        guarded(() -> {
            if (resampler != null) {
                scheduler.add(frontEnd(resampler.flush()));
            }
            decodeAvailable(true, results);
            endUtterance(AsrResult.EndReason.END_OF_INPUT, results);
        });
        finished = true;
        return results;
    }

    private float[][] frontEnd(float[] samples) {
        float[][] frames = fbank.accept(samples);
        return featureMean == null ? frames : featureMean.apply(frames);
    }

    private void decodeAvailable(boolean endOfInput, List<AsrResult> results) throws Exception {
        while (true) {
            if (!fullContext && encoderState.offset() + chunkSize > options.maxEncoderFrames()) {
                endUtterance(AsrResult.EndReason.POSITION_LIMIT, results);
            }
            ChunkScheduler.Chunk chunk = scheduler.next(false);
            if (chunk == null && endOfInput) {
                chunk = scheduler.next(true);
            }
            if (chunk == null) {
                return;
            }
            decodeChunk(chunk, results);
            if (fullContext) {
                endUtterance(
                        endOfInput && scheduler.pendingFrames() == 0
                                ? AsrResult.EndReason.END_OF_INPUT
                                : AsrResult.EndReason.POSITION_LIMIT,
                        results);
            }
        }
    }

    private void decodeChunk(ChunkScheduler.Chunk chunk, List<AsrResult> results) throws Exception {
        EncoderOutput out = batcher != null
                ? batcher.forward(chunk.features(), chunk.frames(), encoderState)
                : model.forward(chunk.features(), chunk.frames(), encoderState);
        chunks++;
        if (fullContextPass != null) {
            fullContextPass.addChunk(chunk.features(), chunk.frames(), chunk.newFrames());
        }
        if (out.frames() == 0) {
            return;
        }
        utteranceHidden.add(out.hidden());
        utteranceFrames += out.frames();
        search.advance(out.ctcLogProbs());
        if (fullContext) {
            return;
        }
        Hypothesis best = search.best();
        var rule = endpointer.advance(out.ctcLogProbs(), best.tokens().length > 0);
        if (rule.isPresent()) {
            endUtterance(reason(rule.get()), results);
        } else if (best.tokens().length > 0) {
            results.add(partial(best));
        }
    }

    private AsrResult partial(Hypothesis best) {
        String text = units.detokenize(best.tokens());
        List<TimedWord> words = TokenTimes.words(units, best, frameShiftMs, utteranceOffsetMs());
        utteranceHasPartials = true;
        return new AsrResult(
                false,
                segment,
                text,
                startMs(words),
                endMs(words),
                words,
                best.confidence(),
                stablePrefix.update(text),
                List.of(),
                null);
    }

    /** Rescoring and the final (when anything was said), then a fresh utterance. */
    private void endUtterance(AsrResult.EndReason reason, List<AsrResult> results) throws Exception {
        AsrResult result = rescore(reason);
        if (result != null) {
            results.add(result);
            segment++;
        }
        resetUtterance();
    }

    private AsrResult rescore(AsrResult.EndReason reason) throws Exception {
        if (utteranceFrames == 0) {
            return null;
        }
        List<Hypothesis> nbest = search.finalNbest();
        boolean anyTokens = nbest.stream().anyMatch(h -> h.tokens().length > 0);
        if (!anyTokens && !utteranceHasPartials) {
            return null;
        }
        FullContextPass.Result full = fullContextPass == null ? null : fullContextPass.run();
        float[] hidden;
        int hiddenFrames;
        if (full != null) {
            nbest = full.nbest();
            hidden = full.encoding().hidden();
            hiddenFrames = full.encoding().frames();
        } else {
            hidden = flatten(utteranceHidden, utteranceFrames * meta.outputSize());
            hiddenFrames = utteranceFrames;
        }
        double[] lmOfAll = languageModel == null
                ? null
                : nbest.stream()
                        .mapToDouble(h -> languageModel.rescoringScore(h.lm()))
                        .toArray();
        int[] kept = withinRescoringMargin(nbest, lmOfAll);
        nbest = Arrays.stream(kept).mapToObj(nbest::get).toList();
        double[] lmScores = lmOfAll == null
                ? null
                : Arrays.stream(kept).mapToDouble(i -> lmOfAll[i]).toArray();
        List<int[]> tokens = nbest.stream().map(Hypothesis::tokens).toList();
        double[] ctcScores = nbest.stream().mapToDouble(Hypothesis::ctcScore).toArray();
        DecoderScores scores = model.decode(tokens, hidden, hiddenFrames);
        List<AttentionRescoring.Score> combined = AttentionRescoring.score(
                tokens,
                scores.l2r(),
                reverseWeight > 0 ? scores.r2l() : null,
                ctcScores,
                lmScores,
                meta.eos(),
                new AttentionRescoring.Weights(reverseWeight, options.ctcWeight(), 1.0));
        List<ScoredHypothesis> ranked = new ArrayList<>();
        for (int i = 0; i < nbest.size(); i++) {
            AttentionRescoring.Score s = combined.get(i);
            ranked.add(new ScoredHypothesis(
                    tokens.get(i),
                    units.detokenize(tokens.get(i)),
                    ctcScores[i],
                    s.l2r(),
                    s.r2l(),
                    s.rescoring(),
                    s.lm(),
                    s.total()));
        }
        int bestIndex = AttentionRescoring.bestIndex(combined);
        Hypothesis best = nbest.get(bestIndex);
        if (best.tokens().length == 0 && !utteranceHasPartials) {
            return null; // nothing was said, and no partial waits to be replaced
        }
        ranked.sort((a, b) -> Double.compare(b.finalScore(), a.finalScore()));
        String text = units.detokenize(best.tokens());
        if (options.inverseTextNormalization()) {
            text = itn.normalize(text);
        }
        List<TimedWord> words = TokenTimes.words(units, best, frameShiftMs, utteranceOffsetMs());
        return new AsrResult(
                true,
                segment,
                text,
                startMs(words),
                endMs(words),
                words,
                best.confidence(),
                text.length(),
                List.copyOf(ranked),
                reason);
    }

    /**
     * The indices of the hypotheses worth the attention decoder's time, in order: those whose final score
     * without its part (CTC and LM; {@code lmScores} null without an LM) lies within the rescoring margin of
     * the best such score.
     */
    private int[] withinRescoringMargin(List<Hypothesis> nbest, double[] lmScores) {
        double[] withoutDecoder = new double[nbest.size()];
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < nbest.size(); i++) {
            withoutDecoder[i] = options.ctcWeight() * nbest.get(i).ctcScore() + (lmScores == null ? 0 : lmScores[i]);
            best = Math.max(best, withoutDecoder[i]);
        }
        double floor = best - options.rescoringMargin(); // -infinity with an infinite margin: all kept
        return IntStream.range(0, nbest.size())
                .filter(i -> withoutDecoder[i] >= floor)
                .toArray();
    }

    private void resetUtterance() {
        encoderState.reset();
        scheduler.reset();
        search.reset();
        endpointer.reset();
        stablePrefix.reset();
        utteranceHidden.clear();
        utteranceFrames = 0;
        if (fullContextPass != null) {
            fullContextPass.reset();
        }
        utteranceHasPartials = false;
        utteranceStartFeatureFrame = scheduler.consumedFrames();
    }

    /** Keep {@code beam} prefixes, extending each by the frame's top max(10, beam) tokens. */
    private static SearchOptions searchOptions(int beam) {
        return new SearchOptions(beam, Math.max(10, beam));
    }

    static float[] flatten(List<float[]> rows, int length) {
        float[] all = new float[length];
        int pos = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, all, pos, r.length);
            pos += r.length;
        }
        return all;
    }

    private long utteranceOffsetMs() {
        return utteranceStartFeatureFrame * Fbank.FRAME_SHIFT_MS;
    }

    private long startMs(List<TimedWord> words) {
        return words.isEmpty() ? utteranceOffsetMs() : words.get(0).startMs();
    }

    private long endMs(List<TimedWord> words) {
        return words.isEmpty()
                ? scheduler.consumedFrames() * Fbank.FRAME_SHIFT_MS
                : words.get(words.size() - 1).endMs();
    }

    private static AsrResult.EndReason reason(EndpointRule rule) {
        return switch (rule) {
            case LONG_SILENCE -> AsrResult.EndReason.LONG_SILENCE;
            case TRAILING_SILENCE -> AsrResult.EndReason.TRAILING_SILENCE;
            case MAX_UTTERANCE -> AsrResult.EndReason.MAX_UTTERANCE;
        };
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException(streamId + ": stream failed earlier (" + failure + ")");
        }
        if (finished) {
            throw new IllegalStateException(streamId + ": stream already finished");
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void guarded(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failure = e.getMessage();
            throw new AsrStreamException(
                    streamId + ": decoding failed at chunk " + chunks + " (encoder offset " + encoderState.offset()
                            + ", segment " + segment + "): " + e.getMessage(),
                    e);
        }
    }
}
