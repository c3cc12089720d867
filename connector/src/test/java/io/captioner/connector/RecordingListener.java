package io.captioner.connector;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Records every callback, the thread it came on, and each leg's PCM. */
final class RecordingListener implements CallListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final Map<String, TappedLeg> legs = new ConcurrentHashMap<>();
    final Map<String, ByteArrayOutputStream> pcm = new ConcurrentHashMap<>();
    final Map<String, List<AudioFrame>> frames = new ConcurrentHashMap<>();
    /** System.nanoTime() at each frame's delivery, in the order of {@link #frames}. */
    final Map<String, List<Long>> frameArrivals = new ConcurrentHashMap<>();

    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    final List<CallInfo> started = Collections.synchronizedList(new ArrayList<>());
    final List<CallInfo> ended = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onCallStarted(CallInfo call) {
        started.add(call);
        record("started " + call.callId());
    }

    @Override
    public void onLegTapped(TappedLeg leg) {
        legs.put(leg.legId(), leg);
        record("tapped " + leg.legId() + " " + leg.role());
    }

    @Override
    public void onAudio(TappedLeg leg, AudioFrame frame) {
        threads.add(Thread.currentThread().getName());
        frames.computeIfAbsent(leg.legId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(frame);
        frameArrivals
                .computeIfAbsent(leg.legId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(System.nanoTime());
        ByteArrayOutputStream out = pcm.computeIfAbsent(leg.legId(), k -> new ByteArrayOutputStream());
        synchronized (out) {
            for (short s : frame.samples()) {
                out.write(s & 0xFF);
                out.write((s >> 8) & 0xFF);
            }
        }
    }

    @Override
    public void onLegPaused(TappedLeg leg) {
        record("paused " + leg.legId());
    }

    @Override
    public void onLegResumed(TappedLeg leg) {
        record("resumed " + leg.legId());
    }

    @Override
    public void onDtmf(TappedLeg leg, char digit) {
        record("dtmf " + leg.legId() + " " + digit);
    }

    @Override
    public void onLegEnded(TappedLeg leg, String reason) {
        record("ended " + leg.legId() + " " + reason);
    }

    @Override
    public void onTapFailed(TappedLeg leg, String reason, int attempts) {
        record("failed " + leg.legId() + " " + attempts + " " + reason);
    }

    @Override
    public void onCallEnded(CallInfo call, String reason) {
        ended.add(call);
        record("callEnded " + call.callId() + " " + reason);
    }

    private void record(String event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    short[] samples(String legId) {
        ByteArrayOutputStream out = pcm.get(legId);
        if (out == null) {
            return new short[0];
        }
        byte[] b;
        synchronized (out) {
            b = out.toByteArray();
        }
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    List<String> eventsStartingWith(String prefix) {
        synchronized (events) {
            return events.stream().filter(e -> e.startsWith(prefix)).toList();
        }
    }

    boolean has(String prefix) {
        return !eventsStartingWith(prefix).isEmpty();
    }

    static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
