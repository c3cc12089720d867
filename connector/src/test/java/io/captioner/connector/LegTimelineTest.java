package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LegTimelineTest {
    private static final long MS = 1_000_000L;
    private static final int FRAME = 160; // 20 ms at 8 kHz

    /** A frame arriving at {@code atMs} as the tap manager places it: the silence owed, then the frame. */
    private static int frame(LegTimeline timeline, long atMs) {
        int silence = timeline.silenceBeforeFrame(atMs * MS, FRAME);
        timeline.advance(silence);
        timeline.advance(FRAME);
        return silence;
    }

    private static int tick(LegTimeline timeline, long atMs) {
        int silence = timeline.silenceAtTick(atMs * MS);
        timeline.advance(silence);
        return silence;
    }

    @Test
    void framesOnTimeOrInABurstOweNoSilence() {
        LegTimeline timeline = new LegTimeline(8000, 200 * MS, 0);
        assertEquals(0, frame(timeline, 20));
        assertEquals(0, frame(timeline, 40));
        assertEquals(0, frame(timeline, 220), "180 ms late");
        for (int i = 0; i < 8; i++) {
            assertEquals(0, frame(timeline, 221), "the burst that follows");
        }
        assertEquals(0, tick(timeline, 400), "within silenceAfter of the last frame");
    }

    @Test
    void aPauseBeyondSilenceAfterIsSilenceOfItsLength() {
        LegTimeline timeline = new LegTimeline(8000, 200 * MS, 0);
        assertEquals(0, frame(timeline, 20));
        assertEquals(12000, frame(timeline, 1540), "the frame comes 1.5 s after the last one ended");
        assertEquals(1540, timeline.advance(0), "so it sits at its own time, 1520-1540 ms");
    }

    @Test
    void ticksFillAPauseWhileItLastsAndTheNextFrameGetsOnlyTheRest() {
        LegTimeline timeline = new LegTimeline(8000, 200 * MS, 0);
        frame(timeline, 20);
        assertEquals(0, tick(timeline, 200));
        assertEquals(2000, tick(timeline, 270), "250 ms without a frame: all of it");
        assertEquals(400, tick(timeline, 320), "from then on, each tick");
        assertEquals(1280, tick(timeline, 480));
        assertEquals(0, frame(timeline, 500), "the frame fits the rest of the pause");
    }

    @Test
    void aShortSilenceTakenForJitterIsMadeUpAtTheNextPause() {
        LegTimeline timeline = new LegTimeline(8000, 200 * MS, 0);
        frame(timeline, 20);
        assertEquals(0, frame(timeline, 140), "100 ms without frames: too short to tell from jitter");
        frame(timeline, 160);
        assertEquals(0, tick(timeline, 300));
        assertEquals(2720, tick(timeline, 400), "the pause's 240 ms and the 100 ms short before");
        assertEquals(400, timeline.advance(0), "back on the wall clock");
    }

    @Test
    void aLegSilentFromItsStartGetsItsLeadingSilence() {
        LegTimeline timeline = new LegTimeline(16000, 200 * MS, 1000 * MS);
        assertEquals(0, timeline.silenceAtTick(1150 * MS));
        assertEquals(4800, timeline.silenceAtTick(1300 * MS));
        assertEquals(0, timeline.advance(4800));
        assertEquals(300, timeline.advance(320), "positions in ms of the time line");
        assertEquals(320, timeline.advance(320));
    }
}
