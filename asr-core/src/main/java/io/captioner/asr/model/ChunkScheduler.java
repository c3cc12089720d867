package io.captioner.asr.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stream of feature frames into encoder calls exactly as WeNet's runtime does: the first
 * call of an utterance takes (chunk−1)·sub + rc + 1 frames, every later call chunk·sub new frames
 * behind the last 1 + rc − sub frames of the previous call. At the end of input the remaining
 * frames go out if, with that overlap, they reach rc + 1. Full context (chunk −1) takes everything
 * at the end of input, or {@code maxFullFrames} at once when that much is waiting.
 * Not thread-safe; one per stream.
 */
public final class ChunkScheduler {
    private final int chunkSize;
    private final int subsampling;
    private final int rightContext;
    private final int overlap;
    private final int maxFullFrames;
    private final ArrayDeque<float[]> pending = new ArrayDeque<>();
    private List<float[]> cached = List.of();
    private long consumed;

    /** One encoder call: {@code frames} feature rows, flattened. */
    public record Chunk(float[] features, int frames, int newFrames) {}

    public ChunkScheduler(int chunkSize, int subsampling, int rightContext, int maxFullFrames) {
        this.chunkSize = chunkSize;
        this.subsampling = subsampling;
        this.rightContext = rightContext;
        this.overlap = 1 + rightContext - subsampling;
        this.maxFullFrames = maxFullFrames;
    }

    public void add(float[][] frames) {
        for (float[] f : frames) {
            pending.add(f);
        }
    }

    /** Feature frames waiting for a call. */
    public int pendingFrames() {
        return pending.size();
    }

    /** New feature frames handed out in calls so far (the overlap is not counted twice). */
    public long consumedFrames() {
        return consumed;
    }

    /** New frames the next call needs (Integer.MAX_VALUE in full context). */
    public int requiredNewFrames() {
        if (chunkSize <= 0) {
            return Integer.MAX_VALUE;
        }
        return cached.isEmpty() ? (chunkSize - 1) * subsampling + rightContext + 1 : chunkSize * subsampling;
    }

    /** The next call, or null when there are not enough frames for one. */
    public Chunk next(boolean endOfInput) {
        int take;
        if (chunkSize <= 0) {
            if (pending.size() >= maxFullFrames) {
                take = maxFullFrames;
            } else if (endOfInput) {
                take = pending.size();
            } else {
                return null;
            }
        } else {
            int required = requiredNewFrames();
            if (pending.size() >= required) {
                take = required;
            } else if (endOfInput) {
                take = pending.size();
            } else {
                return null;
            }
        }
        if (cached.size() + take < rightContext + 1 || take == 0) {
            return null;
        }
        List<float[]> fresh = new ArrayList<>(take);
        for (int i = 0; i < take; i++) {
            fresh.add(pending.poll());
        }
        int frames = cached.size() + take;
        int dim = fresh.get(0).length;
        float[] features = new float[frames * dim];
        int row = 0;
        for (float[] f : cached) {
            System.arraycopy(f, 0, features, row++ * dim, dim);
        }
        for (float[] f : fresh) {
            System.arraycopy(f, 0, features, row++ * dim, dim);
        }
        if (chunkSize > 0 && fresh.size() >= overlap) {
            cached = new ArrayList<>(fresh.subList(fresh.size() - overlap, fresh.size()));
        }
        consumed += take;
        return new Chunk(features, frames, take);
    }

    /** A new utterance: the next call is a first call again. Frames not yet handed out stay. */
    public void reset() {
        cached = List.of();
    }
}
