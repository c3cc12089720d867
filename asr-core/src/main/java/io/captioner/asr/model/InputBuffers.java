package io.captioner.asr.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The direct buffers behind one thread's input tensors, reused from run to run. ONNX Runtime's Java API
 * copies a heap buffer into a fresh direct buffer for every tensor, and only a heap collection frees
 * those, so under load native memory grew with the chunk rate; a direct buffer is passed through
 * without a copy. Each buffer grows to the largest input it has held (the attention cache of the
 * longest utterance) and is kept by the thread for the next run.
 */
final class InputBuffers {
    private static final ThreadLocal<InputBuffers> OF_THREAD = ThreadLocal.withInitial(InputBuffers::new);

    private final List<ByteBuffer> buffers = new ArrayList<>();
    private int taken;
    private boolean inUse;

    private InputBuffers() {}

    /** The calling thread's buffers, for one run; {@link #release()} gives them back. */
    static InputBuffers acquire() {
        InputBuffers own = OF_THREAD.get();
        if (own.inUse) {
            throw new IllegalStateException(
                    "a run's inputs are still open on this thread; close them before the next run");
        }
        own.inUse = true;
        own.taken = 0;
        return own;
    }

    /** The next buffer of this run, cleared, native byte order, its limit at {@code bytes}. */
    ByteBuffer next(int bytes) {
        if (taken == buffers.size()) {
            buffers.add(allocate(bytes));
        } else if (buffers.get(taken).capacity() < bytes) {
            buffers.set(taken, allocate(Math.max(bytes, buffers.get(taken).capacity() * 2)));
        }
        ByteBuffer buffer = buffers.get(taken++);
        buffer.clear().limit(bytes);
        return buffer;
    }

    void release() {
        inUse = false;
    }

    private static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
