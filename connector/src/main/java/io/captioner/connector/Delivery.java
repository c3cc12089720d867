package io.captioner.connector;

import io.vertx.core.Context;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands everything to the {@link CallListener} on one Vert.x worker context, in order. Audio waits
 * in a bounded buffer per leg; when a slow listener lets it fill, the oldest frame is dropped and
 * counted, so the network side never waits.
 */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final Context workerContext;
    private final CallListener listener;
    private final ConnectorCounters counters;
    private final int bound;

    Delivery(Context workerContext, CallListener listener, ConnectorCounters counters, int bound) {
        this.workerContext = workerContext;
        this.listener = listener;
        this.counters = counters;
        this.bound = bound;
    }

    /** Runs a lifecycle callback after everything submitted before it. */
    void event(String what, Runnable callback) {
        workerContext.runOnContext(v -> safely(what, callback));
    }

    LegStream openLeg(TappedLeg leg) {
        return new LegStream(leg);
    }

    private void safely(String what, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("CallListener {} threw; the connector carries on", what, e);
        }
    }

    /** The audio queue of one leg. offer() is called from the network context, drain on the worker. */
    final class LegStream {
        private final TappedLeg leg;
        private final ArrayDeque<AudioFrame> frames = new ArrayDeque<>();
        private boolean drainScheduled;

        private LegStream(TappedLeg leg) {
            this.leg = leg;
        }

        TappedLeg leg() {
            return leg;
        }

        void offer(AudioFrame frame) {
            boolean schedule;
            synchronized (this) {
                if (frames.size() >= bound) {
                    frames.pollFirst();
                    counters.framesDropped.incrementAndGet();
                }
                frames.addLast(frame);
                schedule = !drainScheduled;
                drainScheduled = true;
            }
            if (schedule) {
                workerContext.runOnContext(v -> drain());
            }
        }

        /** Submits a callback that runs after every frame offered so far was delivered. */
        void afterFrames(String what, Runnable callback) {
            workerContext.runOnContext(v -> {
                drain();
                safely(what, callback);
            });
        }

        private void drain() {
            while (true) {
                AudioFrame frame;
                synchronized (this) {
                    frame = frames.pollFirst();
                    if (frame == null) {
                        drainScheduled = false;
                        return;
                    }
                }
                counters.framesDelivered.incrementAndGet();
                safely("onAudio", () -> listener.onAudio(leg, frame));
            }
        }
    }
}
