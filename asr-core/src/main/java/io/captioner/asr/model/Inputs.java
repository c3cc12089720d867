package io.captioner.asr.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The named input tensors of one run, in the calling thread's reusable direct buffers
 * ({@link InputBuffers}); closing it closes them all and frees the buffers for the thread's next run.
 * Counts the tensors not yet closed, so that tests can prove that none leaks.
 */
final class Inputs implements AutoCloseable {
    private static final AtomicLong LIVE = new AtomicLong();
    private static final long[] SCALAR = {};

    private final OrtEnvironment env;
    private final InputBuffers buffers = InputBuffers.acquire();
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    Inputs(OrtEnvironment env) {
        this.env = env;
    }

    /** Input tensors created and not yet closed, over the whole process. */
    static long live() {
        return LIVE.get();
    }

    Inputs floats(String name, float[] data, int length, long... shape) throws OrtException {
        ByteBuffer bytes = buffers.next(length * Float.BYTES);
        bytes.asFloatBuffer().put(data, 0, length);
        return put(name, OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape));
    }

    Inputs longs(String name, long[] data, long... shape) throws OrtException {
        ByteBuffer bytes = buffers.next(data.length * Long.BYTES);
        bytes.asLongBuffer().put(data);
        return put(name, OnnxTensor.createTensor(env, bytes.asLongBuffer(), shape));
    }

    Inputs scalar(String name, long value) throws OrtException {
        return longs(name, new long[] {value}, SCALAR);
    }

    Inputs bools(String name, boolean[] data, long... shape) throws OrtException {
        ByteBuffer bytes = buffers.next(data.length);
        for (boolean b : data) {
            bytes.put((byte) (b ? 1 : 0));
        }
        bytes.flip();
        return put(name, OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.BOOL));
    }

    Map<String, OnnxTensor> map() {
        return tensors;
    }

    private Inputs put(String name, OnnxTensor tensor) {
        LIVE.incrementAndGet();
        if (tensors.putIfAbsent(name, tensor) != null) {
            close(tensor);
            throw new IllegalArgumentException("input '" + name + "' given twice");
        }
        return this;
    }

    @Override
    public void close() {
        tensors.values().forEach(Inputs::close);
        tensors.clear();
        buffers.release();
    }

    private static void close(OnnxTensor tensor) {
        tensor.close();
        LIVE.decrementAndGet();
    }
}
