package io.captioner.asr.model;

import ai.onnxruntime.OrtException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the streaming encoder calls of many streams (call legs), each made on its own decoding thread,
 * into runs of the batched encoder on {@code runners} threads of its own: the first waiting call waits at
 * most {@code maxWait} for others, a run takes at most {@code maxBatch}, and calls that come while the
 * runners are busy wait for the next run. With one runner only one core would run the encoder. Under load the
 * runs fill by themselves; a lone stream pays at most {@code maxWait} per chunk. Chunks of different lengths
 * (an utterance's last) go in separate runs. A run that fails is retried one stream at a time with the
 * unbatched encoder, so that only the stream whose input fails sees the error.
 */
public final class EncoderBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EncoderBatcher.class);

    private record Call(float[] features, int frames, EncoderState state, CompletableFuture<EncoderOutput> result) {}

    private final WenetOnnxModel model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Call> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> runnerThreads = new ArrayList<>();
    private final LongAdder runs = new LongAdder();
    private final LongAdder chunks = new LongAdder();
    private volatile boolean closed;

    /** @throws IllegalArgumentException when the model has no batched encoder or a limit is not positive */
    public EncoderBatcher(WenetOnnxModel model, int maxBatch, Duration maxWait, int runners) {
        if (!model.canBatch()) {
            throw new IllegalArgumentException(model.directory() + " has no batched encoder to batch with");
        }
        if (maxBatch < 1 || maxWait.isNegative() || runners < 1) {
            throw new IllegalArgumentException("maxBatch and runners must be at least 1 and maxWait not negative, got "
                    + maxBatch + ", " + runners + " and " + maxWait);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        for (int i = 0; i < runners; i++) {
            Thread runner = new Thread(
                    this::runLoop, "encoder-batcher-" + model.directory().getFileName() + "-" + i);
            runner.setDaemon(true);
            runner.start();
            runnerThreads.add(runner);
        }
    }

    /** {@link WenetOnnxModel#forward}, run in a batch with other streams' chunks; blocks until it has run. */
    public EncoderOutput forward(float[] features, int frames, EncoderState state) throws OrtException {
        if (closed) {
            throw new IllegalStateException("the encoder batcher of " + model.directory() + " is closed");
        }
        Call call = new Call(features, frames, state, new CompletableFuture<>());
        waiting.add(call);
        if (closed && waiting.remove(call)) {
            throw new IllegalStateException("the encoder batcher of " + model.directory() + " is closed");
        }
        try {
            return call.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the chunk waited for its encoder batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrtException ort) {
                throw ort;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs of the batched encoder so far. */
    public long runs() {
        return runs.sum();
    }

    /** Chunks encoded in those runs. */
    public long chunks() {
        return chunks.sum();
    }

    private void runLoop() {
        List<Call> batch = new ArrayList<>(maxBatch);
        try {
            while (!closed) {
                Call first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    waiting.drainTo(batch, maxBatch - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= maxBatch || left <= 0) {
                        break;
                    }
                    Call next = waiting.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failWaiting(batch);
        }
    }

    private void run(List<Call> batch) {
        Map<Integer, List<Call>> byLength = new LinkedHashMap<>();
        for (Call call : batch) {
            byLength.computeIfAbsent(call.frames(), k -> new ArrayList<>()).add(call);
        }
        for (Map.Entry<Integer, List<Call>> group : byLength.entrySet()) {
            List<Call> calls = group.getValue();
            try {
                List<EncoderOutput> outputs = model.forwardBatch(
                        calls.stream().map(Call::features).toList(),
                        group.getKey(),
                        calls.stream().map(Call::state).toList());
                runs.increment();
                chunks.add(calls.size());
                for (int i = 0; i < calls.size(); i++) {
                    calls.get(i).result().complete(outputs.get(i));
                }
            } catch (Exception e) {
                log.warn("a batch of {} chunks failed ({}); running them one by one", calls.size(), e.toString());
                calls.forEach(this::runAlone);
            }
        }
    }

    private void runAlone(Call call) {
        try {
            call.result().complete(model.forward(call.features(), call.frames(), call.state()));
        } catch (Exception e) {
            call.result().completeExceptionally(e);
        }
    }

    private void failWaiting(List<Call> taken) {
        List<Call> left = new ArrayList<>(taken);
        waiting.drainTo(left);
        IllegalStateException closing =
                new IllegalStateException("the encoder batcher of " + model.directory() + " was closed");
        left.forEach(call -> call.result().completeExceptionally(closing));
    }

    /** Stops the batching thread; chunks still waiting fail. */
    @Override
    public void close() {
        closed = true;
        runnerThreads.forEach(Thread::interrupt);
        try {
            for (Thread runner : runnerThreads) {
                runner.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
