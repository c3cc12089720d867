package io.captioner.asr.model;

/** Where a model's ONNX Runtime sessions run ({@code model.executionProvider}). */
public enum ExecutionProvider {
    /** CUDA when the ONNX Runtime build has it and a session opens on it, else the CPU. */
    AUTO,
    /** The CPU, even where CUDA is there. */
    CPU,
    /** CUDA; where it cannot run, the CPU, with the reason in the log and the model's description. */
    CUDA
}
