/**
 * Pure-Java decoding algorithms over CTC log-probabilities: WeNet's CTC prefix beam search with
 * context biasing (hotwords), endpointing, attention-rescoring score combination, text
 * reconstruction, timestamps, confidences, stable partial prefixes and inverse text
 * normalisation of spoken numbers. Nothing here touches ONNX Runtime; every input is a
 * {@code float[frames][vocab]} matrix of log-probabilities or plain token ids.
 */
package io.captioner.asr.search;
