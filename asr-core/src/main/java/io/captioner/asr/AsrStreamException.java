package io.captioner.asr;

/**
 * Decoding of one stream failed (for example ONNX Runtime rejected a run). Only that stream is
 * affected: the model and every other stream keep working. The stream refuses further audio.
 */
public class AsrStreamException extends RuntimeException {
    public AsrStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
