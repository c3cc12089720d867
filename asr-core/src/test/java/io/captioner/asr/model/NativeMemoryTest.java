package io.captioner.asr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captioner.asr.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs many chunks through the encoder, CTC and decoder (with utterance resets) and checks that no
 * input tensor stays open and that the process's resident memory stays flat once warm. The chunk
 * count is 1200 by default to keep the suite fast; {@code -Dasr.leakChunks=10000} runs more.
 */
class NativeMemoryTest {
    @Test
    void manyChunksLeaveNoTensorsAndNoNativeGrowth() throws Exception {
        int total = Integer.getInteger("asr.leakChunks", 1200);
        int warmup = total / 4;
        int sampleEvery = Math.max(1, total / 40);
        float[] feats = Fixtures.readFloats(Fixtures.audio("fbank_16k.f32"));
        float[] chunk = Arrays.copyOf(feats, 67 * 80);
        try (WenetOnnxModel model = WenetOnnxModel.load(Fixtures.export("moe", "16_4"), 1)) {
            EncoderState state = model.newEncoderState(16, 4);
            long before = WenetOnnxModel.liveInputTensors();
            // native memory (resident minus the JVM's own pools) sampled in the first and last quarter after
            // warm-up; malloc arenas and not-yet-collected direct buffers make single samples wander by tens
            // of MB, so the floor (minimum) of each window is compared
            long earlyFloor = Long.MAX_VALUE;
            long lateFloor = Long.MAX_VALUE;
            float[] utterance = new float[0];
            int frames = 0;
            for (int i = 1; i <= total; i++) {
                EncoderOutput out = model.forward(chunk, 67, state);
                utterance = Arrays.copyOf(utterance, utterance.length + out.hidden().length);
                System.arraycopy(
                        out.hidden(), 0, utterance, utterance.length - out.hidden().length, out.hidden().length);
                frames += out.frames();
                if (i % 25 == 0) { // an endpoint: rescoring and a reset
                    DecoderScores scores = model.decode(List.of(new int[] {5, 6, 7}, new int[] {8}), utterance, frames);
                    assertEquals(2, scores.l2r().length);
                    state.reset();
                    utterance = new float[0];
                    frames = 0;
                }
                assertEquals(before, WenetOnnxModel.liveInputTensors(), "open input tensors after chunk " + i);
                if (i > warmup && i % sampleEvery == 0) {
                    long kb = nativeKb();
                    if (i <= warmup + (total - warmup) / 4) {
                        earlyFloor = Math.min(earlyFloor, kb);
                    } else if (i > total - (total - warmup) / 4) {
                        lateFloor = Math.min(lateFloor, kb);
                    }
                }
            }
            assumeTrue(
                    earlyFloor > 0 && earlyFloor < Long.MAX_VALUE && lateFloor < Long.MAX_VALUE,
                    "no /proc/self/status on this platform");
            long growthKb = lateFloor - earlyFloor;
            System.out.printf(
                    "%d chunks: native memory floor %d KB early, %d KB late (growth %d KB)%n",
                    total, earlyFloor, lateFloor, growthKb);
            // leaking any one tensor per chunk (the attention cache alone is 64 KB) would raise the floor by
            // over 30 MB between the two windows
            assertTrue(
                    growthKb < 16 * 1024,
                    "native memory floor grew " + growthKb + " KB over " + (total - warmup) + " chunks (" + earlyFloor
                            + " -> " + lateFloor + " KB)");
        }
    }

    @Test
    void warmRunsAllocateNoDirectBuffers() throws Exception {
        // ONNX Runtime copies a heap input into a new direct buffer, freed only by a heap collection; the
        // model's inputs live in reusable direct buffers instead, so a warm stream allocates none
        float[] chunk = Arrays.copyOf(Fixtures.readFloats(Fixtures.audio("fbank_16k.f32")), 67 * 80);
        try (WenetOnnxModel model = WenetOnnxModel.load(Fixtures.export("moe", "16_4"), 1)) {
            EncoderState state = model.newEncoderState(16, 4);
            long warmCount = 0;
            long warmBytes = 0;
            for (int i = 1; i <= 80; i++) {
                EncoderOutput out = model.forward(chunk, 67, state);
                if (i % 20 == 0) {
                    model.decode(List.of(new int[] {5, 6, 7}, new int[] {8}), out.hidden(), out.frames());
                    state.reset();
                }
                if (i == 40) {
                    warmCount = directPool().getCount();
                    warmBytes = directPool().getTotalCapacity();
                }
            }
            assertEquals(warmCount, directPool().getCount(), "direct buffers allocated by 40 warm chunks");
            assertEquals(warmBytes, directPool().getTotalCapacity(), "direct buffer bytes");
        }
    }

    private static java.lang.management.BufferPoolMXBean directPool() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream()
                .filter(pool -> pool.getName().equals("direct"))
                .findFirst()
                .orElseThrow();
    }

    /** Resident memory not explained by the JVM's heap, non-heap pools and direct buffers. */
    private static long nativeKb() throws Exception {
        System.gc();
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long javaKb = (memory.getHeapMemoryUsage().getCommitted()
                        + memory.getNonHeapMemoryUsage().getCommitted())
                / 1024;
        long rss = residentKb();
        return rss == 0 ? 0 : rss - javaKb - directKb();
    }

    private static long directKb() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                        .stream()
                        .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                        .sum()
                / 1024;
    }

    private static long residentKb() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
