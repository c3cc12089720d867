/**
 * Streaming speech recognition with WeNet U2++ (dense or MoE) ONNX exports.
 * <pre>{@code
 * try (AsrModel model = AsrModel.load(Path.of("models/u2pp-moe-telephony"))) {   // thread-safe, shared
 *     StreamingRecognizer leg = model.newRecognizer(DecodeOptions.defaults(), "call-42:caller");
 *     for (short[] frame : audio) {                                  // e.g. 20 ms of 8 kHz PCM
 *         for (AsrResult r : leg.acceptAudio(frame, 8000)) { ... }   // partials, finals at endpoints
 *     }
 *     leg.finish().forEach(...);                                     // last final
 * }
 * }</pre>
 * Packages: {@code audio} (WAV, G.711, resampling), {@code fbank} (Kaldi fbank), {@code model} (the
 * export's graphs, chunk scheduling, caches), {@code search} (prefix beam search, hotwords,
 * endpointing, rescoring arithmetic, text), {@code cli} ({@code transcribe}).
 */
package io.captioner.asr;
