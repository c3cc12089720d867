package io.captioner.asr.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the input tensors of every run and counts the ones not yet closed, so that tests can prove
 * that native memory does not leak. Every tensor made here must be closed (try-with-resources via
 * {@link Inputs}).
 */
final class Tensors {
    private static final AtomicLong LIVE = new AtomicLong();

    private Tensors() {
    }

    /** Input tensors created and not yet closed, over the whole process. */
    static long live() {
        return LIVE.get();
    }

    static OnnxTensor floats(OrtEnvironment env, float[] data, int length, long... shape) throws OrtException {
        return counted(OnnxTensor.createTensor(env, FloatBuffer.wrap(data, 0, length), shape));
    }

    static OnnxTensor longs(OrtEnvironment env, long[] data, long... shape) throws OrtException {
        return counted(OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
    }

    static OnnxTensor scalar(OrtEnvironment env, long value) throws OrtException {
        return counted(OnnxTensor.createTensor(env, value));
    }

    static OnnxTensor bools(OrtEnvironment env, boolean[] data, long... shape) throws OrtException {
        ByteBuffer bytes = ByteBuffer.allocateDirect(data.length);
        for (boolean b : data) {
            bytes.put((byte) (b ? 1 : 0));
        }
        bytes.flip();
        return counted(OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.BOOL));
    }

    private static OnnxTensor counted(OnnxTensor tensor) {
        LIVE.incrementAndGet();
        return tensor;
    }

    static void released() {
        LIVE.decrementAndGet();
    }
}
