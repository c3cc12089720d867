package io.captioner.asr.model;

import java.util.Arrays;

/**
 * One stream's encoder caches between chunk calls, kept in Java arrays so that no native tensor
 * outlives a run: the attention cache [L, H, T_cache, 2·d_k], the causal-convolution cache
 * [L, 1, D, K−1] and the offset (encoder frames seen since the last reset). With limited left
 * context (left chunks > 0) the cache is always chunk·left frames long, starts as zeros and the
 * attention mask hides the slots that hold no real frame yet, as WeNet's runtime does.
 */
public final class EncoderState {
    private final ModelMetadata meta;
    private final int chunkSize;
    private final int leftChunks;
    private float[] attCache;
    private int attCacheFrames;
    private float[] cnnCache;
    private long offset;

    EncoderState(ModelMetadata meta, int chunkSize, int leftChunks) {
        this.meta = meta;
        this.chunkSize = chunkSize;
        this.leftChunks = leftChunks;
        reset();
    }

    /** Starts a new utterance: offset 0 and empty caches (or the masked zero cache with limited left context). */
    public void reset() {
        attCacheFrames = requiredCacheSize();
        offset = attCacheFrames;
        attCache = new float[meta.numBlocks() * meta.head() * attCacheFrames * meta.attentionKeyValueSize()];
        cnnCache = new float[meta.numBlocks() * meta.outputSize() * (meta.cnnModuleKernel() - 1)];
    }

    public long offset() {
        return offset;
    }

    public int attCacheFrames() {
        return attCacheFrames;
    }

    /** chunk·left with limited left context, else 0 (the cache grows with every chunk). */
    public int requiredCacheSize() {
        return leftChunks > 0 ? chunkSize * leftChunks : 0;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int leftChunks() {
        return leftChunks;
    }

    /**
     * The attention mask for the next chunk with limited left context, length cache + chunk: false for
     * cache slots that still hold the zeros of the reset.
     */
    boolean[] attentionMask() {
        boolean[] mask = new boolean[requiredCacheSize() + chunkSize];
        Arrays.fill(mask, true);
        long chunkIndex = offset / chunkSize - leftChunks;
        if (chunkIndex < leftChunks) {
            Arrays.fill(mask, 0, (int) ((leftChunks - chunkIndex) * chunkSize), false);
        }
        return mask;
    }

    float[] attCache() {
        return attCache;
    }

    float[] cnnCache() {
        return cnnCache;
    }

    void update(float[] newAttCache, int newAttCacheFrames, float[] newCnnCache, int outputFrames) {
        attCache = newAttCache;
        attCacheFrames = newAttCacheFrames;
        cnnCache = newCnnCache;
        offset += outputFrames;
    }
}
