/**
 * Pure-Java decoding algorithms over CTC log-probabilities: WeNet's CTC prefix beam search with
 * context biasing (hotwords), endpointing, attention-rescoring score combination, text
 * reconstruction, timestamps, confidences, stable partial prefixes and inverse text
 * normalisation of spoken numbers. Nothing here touches ONNX Runtime; every input is a
 * {@code float[frames][vocab]} matrix of log-probabilities or plain token ids.
 *
 * <p>One stream (leg) uses them like this; everything per stream is single-threaded, while a
 * {@link io.captioner.asr.search.SymbolTable} and a {@link io.captioner.asr.search.ContextGraph}
 * are immutable and may be shared:
 * <pre>{@code
 * SymbolTable units = SymbolTable.load(modelDir.resolve("units.txt"), sos, eos);
 * int frameMs = Endpointer.frameShiftMs(subsamplingRate);
 * CtcPrefixBeamSearch search = new CtcPrefixBeamSearch(SearchOptions.DEFAULTS);
 * search.setContextGraph(ContextGraph.build(phrases, units, ContextGraph.DEFAULT_BOOST)); // optional
 * Endpointer endpointer = new Endpointer(EndpointRules.DEFAULTS, frameMs);
 * StablePrefix stable = new StablePrefix(3);
 *
 * // after each encoder chunk:
 * search.advance(chunkLogProbs);
 * Hypothesis partial = search.best();
 * String text = units.detokenize(partial.tokens());
 * int stableChars = stable.update(text);
 * Optional<EndpointRule> end = endpointer.advance(chunkLogProbs, partial.tokens().length > 0);
 *
 * // at an endpoint or the end of input:
 * List<Hypothesis> nbest = search.finalNbest();
 * // run the decoder on nbest tokens, then
 * List<AttentionRescoring.Score> scores = AttentionRescoring.score(tokensOf(nbest), l2r, r2l,
 *     rankingScoresOf(nbest), eos, new AttentionRescoring.Weights(reverseWeight, 0.5, 1.0));
 * Hypothesis best = nbest.get(AttentionRescoring.bestIndex(scores));
 * List<TimedWord> words = TokenTimes.words(units, best, frameMs, utteranceOffsetMs);
 * String finalText = itnEnabled ? new InverseTextNormalizer().normalize(units.detokenize(best.tokens()))
 *     : units.detokenize(best.tokens());
 * search.reset(); endpointer.reset(); stable.reset();
 * }</pre>
 */
package io.captioner.asr.search;
