package io.captioner.asr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkSchedulerTest {
    /** WeNet's right context per subsampling: conv2d 4x rc 6, 6x rc 10, 8x rc 14. */
    @ParameterizedTest(name = "sub {0}, rc {1}, chunk {2}")
    @CsvSource({"4,6,16", "6,10,16", "8,14,16", "4,6,8", "8,14,4"})
    void firstAndLaterCallsFollowWenetsSchedule(int sub, int rc, int chunk) {
        ChunkScheduler s = new ChunkScheduler(chunk, sub, rc, Integer.MAX_VALUE);
        int first = (chunk - 1) * sub + rc + 1;
        int overlap = 1 + rc - sub;
        s.add(frames(first - 1, 0));
        assertNull(s.next(false), "one frame short of the first call");
        s.add(frames(1, first - 1));
        ChunkScheduler.Chunk c1 = s.next(false);
        assertEquals(first, c1.frames());
        assertEquals(first, c1.newFrames());
        s.add(frames(chunk * sub, first));
        ChunkScheduler.Chunk c2 = s.next(false);
        assertEquals(overlap + chunk * sub, c2.frames());
        // the later call starts with the last `overlap` frames of the previous one
        assertEquals(first - overlap, (int) c2.features()[0]);
        assertEquals(first, (int) c2.features()[overlap * 2]);
        assertEquals(first + chunk * sub, s.consumedFrames());
        // end of input: a remainder is forwarded only if it reaches rc + 1 frames with the overlap
        s.add(frames(rc - overlap, first + chunk * sub));
        assertNull(s.next(false));
        assertNull(s.next(true), "overlap + remainder = rc frames: dropped, as WeNet does");
        s.add(frames(1, 0));
        assertEquals(rc + 1, s.next(true).frames());
    }

    @Test
    void resetMakesTheNextCallAFirstCallAgainWithoutLosingFrames() {
        ChunkScheduler s = new ChunkScheduler(16, 4, 6, Integer.MAX_VALUE);
        s.add(frames(67 + 64 + 10, 0));
        assertEquals(67, s.next(false).frames());
        s.reset();
        ChunkScheduler.Chunk again = s.next(false);
        assertEquals(67, again.frames(), "a first call again: 67 new frames, no overlap");
        assertEquals(67, (int) again.features()[0]);
        assertEquals(7, s.pendingFrames());
    }

    @Test
    void fullContextTakesEverythingAtTheEndOrTheMaximumAtOnce() {
        ChunkScheduler s = new ChunkScheduler(-1, 4, 6, 100);
        s.add(frames(99, 0));
        assertNull(s.next(false));
        s.add(frames(151, 99));
        assertEquals(100, s.next(false).frames());
        assertEquals(100, s.next(false).frames());
        assertNull(s.next(false));
        assertEquals(50, s.next(true).frames());
    }

    /** Rows whose two values are their frame index. */
    private static float[][] frames(int count, int firstIndex) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new float[] {firstIndex + i, firstIndex + i});
        }
        return rows.toArray(new float[0][]);
    }
}
