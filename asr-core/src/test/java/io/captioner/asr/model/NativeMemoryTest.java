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
 * count is 2000 by default to keep the suite fast; {@code -Dasr.leakChunks=10000} runs more.
 */
class NativeMemoryTest {
    @Test
    void manyChunksLeaveNoTensorsAndNoNativeGrowth() throws Exception {
        int total = Integer.getInteger("asr.leakChunks", 2000);
        int warmup = Math.min(500, total / 4);
        float[] feats = Fixtures.readFloats(Fixtures.audio("fbank_16k.f32"));
        float[] chunk = Arrays.copyOf(feats, 67 * 80);
        try (WenetOnnxModel model = WenetOnnxModel.load(Fixtures.export("moe", "16_4"), 1)) {
            EncoderState state = model.newEncoderState(16, 4);
            long before = WenetOnnxModel.liveInputTensors();
            long rssWarm = 0; // resident memory outside the Java heap, after the warm-up
            float[] utterance = new float[0];
            int frames = 0;
            for (int i = 1; i <= total; i++) {
                EncoderOutput out = model.forward(chunk, 67, state);
                utterance = Arrays.copyOf(utterance, utterance.length + out.hidden().length);
                System.arraycopy(out.hidden(), 0, utterance, utterance.length - out.hidden().length, out.hidden().length);
                frames += out.frames();
                if (i % 25 == 0) { // an endpoint: rescoring and a reset
                    DecoderScores scores = model.decode(List.of(new int[] {5, 6, 7}, new int[] {8}), utterance, frames);
                    assertEquals(2, scores.l2r().length);
                    state.reset();
                    utterance = new float[0];
                    frames = 0;
                }
                assertEquals(before, WenetOnnxModel.liveInputTensors(), "open input tensors after chunk " + i);
                if (i == warmup) {
                    rssWarm = outsideJavaKb();
                }
            }
            long rssEnd = outsideJavaKb();
            assumeTrue(rssWarm > 0, "no /proc/self/status on this platform");
            long growthKb = rssEnd - rssWarm;
            // malloc arenas wander by ~30 MB; a leak of any one tensor per chunk (the attention cache
            // alone is 64 KB) would add about 100 MB over 1500 chunks
            assertTrue(growthKb < 40 * 1024, "resident memory grew " + growthKb + " KB over "
                    + (total - warmup) + " chunks (" + rssWarm + " -> " + rssEnd + " KB)");
        }
    }

    /** Resident memory not explained by the JVM's committed heap and non-heap pools: native allocations. */
    private static long outsideJavaKb() throws Exception {
        System.gc();
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long javaKb = (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
        return residentKb() - javaKb;
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
