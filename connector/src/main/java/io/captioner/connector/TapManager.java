package io.captioner.connector;

import io.captioner.connector.audiosocket.AudioSocketSession;
import io.captioner.connector.audiosocket.DecodedAudio;
import io.captioner.connector.audiosocket.TapDirectory;
import io.captioner.connector.audiosocket.TapFormat;
import io.captioner.connector.audiosocket.TapSink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, watches, retries and ends taps. Everything runs on the connector context.
 *
 * <p>An attempt fails when the Originate is refused or answered with Failure, when Asterisk does not
 * connect within the connect timeout, when the connection closes while the leg is still up (a
 * "UUID then close" without audio is what a tap on a vanished leg looks like), on a protocol error,
 * or when no audio arrives for the no-audio timeout outside hold while AMI does not vouch for the tap. A
 * tap whose connection is up and whose ChanSpy has started (ChanSpyStart, no ChanSpyStop since) on a
 * channel that is still up is alive even when no frame comes: Asterisk sends nothing while the party
 * is silent. A failed attempt is retried with a fresh UUID after a wait that doubles from attempt to
 * attempt, until the attempts are used up; an attempt that delivered audio starts the count afresh.
 *
 * <p>Each leg's audio follows the wall clock ({@link LegTimeline}): pauses in its frames reach the
 * listener as silence of their length, filled on a {@value #TICK_MS} ms tick while no frame comes.
 */
final class TapManager implements TapDirectory {
    private static final Logger log = LoggerFactory.getLogger(TapManager.class);
    static final long TICK_MS = 50;
    private static final long MAX_RETRY_DELAY_MS = 30_000;

    private final Vertx vertx;
    private final Context context;
    private final ConnectorSettings settings;
    private final AmiLink ami;
    private final Delivery delivery;
    private final ConnectorCounters counters;
    private final Supplier<String> dialAddress;
    private final Consumer<Leg> legEnded;
    private Runnable stateChanged = () -> {};
    private final CallListener listener;
    private final Map<UUID, LegTap> issued = new HashMap<>();
    private final List<LegTap> taps = new ArrayList<>();
    /** Taps whose attempt failed while the manager connection was down: retried after the resync. */
    private final List<LegTap> parked = new ArrayList<>();

    private boolean amiUp = true;
    private long tickTimer = -1;

    TapManager(
            Vertx vertx,
            Context context,
            ConnectorSettings settings,
            AmiLink ami,
            Delivery delivery,
            ConnectorCounters counters,
            Supplier<String> dialAddress,
            CallListener listener,
            Consumer<Leg> legEnded) {
        this.listener = listener;
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.ami = ami;
        this.delivery = delivery;
        this.counters = counters;
        this.dialAddress = dialAddress;
        this.legEnded = legEnded;
    }

    void tap(Leg primary, Leg secondary) {
        LegTap tap = new LegTap(primary, secondary);
        primary.tap = tap;
        if (secondary != null) {
            secondary.tap = tap;
        }
        taps.add(tap);
        if (tickTimer < 0) {
            tickTimer = vertx.setPeriodic(TICK_MS, id -> fillSilence());
        }
        attempt(tap);
    }

    private void attempt(LegTap tap) {
        UUID uuid = tap.newAttempt();
        issued.put(uuid, tap);
        counters.tapsRequested.incrementAndGet();
        String codec = settings.wideband() ? "slin16" : "slin";
        String channel = "AudioSocket/" + dialAddress.get() + "/" + uuid + "/c(" + codec + ")";
        String data = tap.primary.channel.uniqueId + "," + (settings.stereoTap() ? "qEuD" : "qEuo");
        log.info(
                "tapping {} ({}) of call {}, attempt {}: {}",
                tap.primary.channel.name,
                tap.primary.info.role(),
                tap.primary.call.id,
                tap.attempts,
                uuid);
        ami.originate(channel, "ChanSpy", data, uuid.toString(), "captap-" + uuid, error -> {
            if (error != null) {
                context.runOnContext(v -> fail(tap, uuid, "Originate refused: " + error));
            }
        });
        tap.connectTimer = vertx.setTimer(settings.connectTimeout().toMillis(), id -> {
            if (uuid.equals(tap.uuid) && tap.session == null && !tap.done) {
                fail(
                        tap,
                        uuid,
                        "Asterisk did not connect to the AudioSocket server within "
                                + settings.connectTimeout().toMillis() + " ms");
            }
        });
    }

    @Override
    public TapSink claim(UUID uuid) throws TapRejectedException {
        LegTap tap = issued.get(uuid);
        if (tap == null) {
            throw new TapRejectedException("not a UUID this service issued (or it was revoked)");
        }
        if (tap.session != null) {
            throw new TapRejectedException("this UUID already has a connection");
        }
        return new AttemptSink(tap, uuid);
    }

    void onOriginateResponse(AmiEvent e) {
        LegTap tap = tapOf(e.get("actionid"));
        if (tap == null) {
            return;
        }
        if (!"Success".equalsIgnoreCase(e.get("response"))) {
            fail(tap, tap.uuid, "OriginateResponse " + e.get("response") + ", reason " + e.get("reason"));
        }
    }

    void onChanSpyStart(AmiEvent e) {
        LegTap tap = spyingTap(e);
        if (tap != null) {
            tap.spyConfirmed = true;
            log.debug("ChanSpyStart confirms tap {} on {}", tap.uuid, e.get("spyee"));
            if (tap.session != null) {
                legsOf(tap).forEach(this::open); // live, even if its party is silent and no frame comes yet
            }
        }
    }

    /** ChanSpy stopped: the tap is no longer vouched for (its connection normally closes next). */
    void onChanSpyStop(AmiEvent e) {
        LegTap tap = spyingTap(e);
        if (tap != null) {
            tap.spyConfirmed = false;
        }
    }

    /** The tap whose AudioSocket channel (named after its UUID) is the event's spyer, if it is one of ours. */
    private LegTap spyingTap(AmiEvent e) {
        String spyer = e.get("spyer");
        return spyer.length() >= 36 ? tapOf(spyer.substring(spyer.length() - 36)) : null;
    }

    /** A channel hung up: end the legs it carried; the tap itself closes (ChanSpy option E). */
    void onChannelGone(Channel channel) {
        for (LegTap tap : List.copyOf(taps)) {
            if (tap.done) {
                continue;
            }
            if (tap.primary.channel == channel) {
                if (tap.session == null) {
                    finish(tap, "hangup");
                } else {
                    AudioSocketSession session = tap.session;
                    vertx.setTimer(settings.hangupGrace().toMillis(), id -> {
                        if (tap.session == session && !tap.done) {
                            session.stop("the tapped channel hung up");
                        }
                    });
                }
            } else if (tap.secondary != null && tap.secondary.channel == channel) {
                endLeg(tap.secondary, "hangup");
            }
        }
    }

    void onHold(Leg leg, boolean hold) {
        if (leg.paused == hold || leg.ended) {
            return;
        }
        leg.paused = hold;
        if (leg.tapped) {
            TappedLeg info = leg.info;
            leg.stream.afterFrames(hold ? "onLegPaused" : "onLegResumed", () -> {
                if (hold) {
                    listener.onLegPaused(info);
                } else {
                    listener.onLegResumed(info);
                }
            });
        }
        if (!hold && leg.tap != null) {
            leg.tap.lastAudioNanos = System.nanoTime();
        }
        stateChanged.run();
    }

    /** Called after a leg starts, pauses or resumes (for the calls snapshot). */
    void onStateChange(Runnable stateChanged) {
        this.stateChanged = stateChanged;
    }

    void managerDown() {
        amiUp = false;
    }

    /** After the resync: taps that failed meanwhile are retried if their leg still exists. */
    void managerUp() {
        amiUp = true;
        List<LegTap> waiting = List.copyOf(parked);
        parked.clear();
        waiting.forEach(this::retry);
    }

    /**
     * The user wants no more audio of this leg: the leg ends with {@code reason}, and once no leg of its tap
     * wants audio, the AudioSocket connection is hung up (so Asterisk stops spying) and never retried.
     */
    void release(String legId, String reason) {
        for (LegTap tap : List.copyOf(taps)) {
            for (Leg leg : legsOf(tap)) {
                if (leg.info.legId().equals(legId)) {
                    endLeg(leg, reason);
                    if (legsOf(tap).stream().allMatch(l -> l.ended)) {
                        hangUp(tap, reason);
                    }
                    return;
                }
            }
        }
    }

    /** Stops every tap (connector shutdown). */
    void stopAll(String reason) {
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
            tickTimer = -1;
        }
        for (LegTap tap : List.copyOf(taps)) {
            hangUp(tap, reason);
        }
    }

    /** Ends the tap for good: sends the AudioSocket hangup (0x00) if connected, ends its legs, never retries. */
    private void hangUp(LegTap tap, String reason) {
        if (tap.session != null) {
            tap.session.stop(reason);
        }
        finish(tap, reason);
    }

    int liveTaps() {
        return (int) taps.stream().filter(t -> !t.done).count();
    }

    private LegTap tapOf(String uuidText) {
        try {
            return issued.get(UUID.fromString(uuidText));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void fail(LegTap tap, UUID uuid, String reason) {
        if (tap.done || !uuid.equals(tap.uuid)) {
            return; // a stale attempt
        }
        counters.tapAttemptsFailed.incrementAndGet();
        log.warn(
                "tap of {} (call {}) attempt {} failed: {}",
                tap.primary.channel.name,
                tap.primary.call.id,
                tap.attempts,
                reason);
        revoke(tap);
        if (tap.session != null) {
            tap.session.stop(reason);
            tap.session = null;
        }
        if (tap.audioSeen) {
            tap.attempts = 1; // it worked until now: a new run of attempts, of which this failure is the first
        }
        tap.uuid = null;
        if (tap.primary.channel.hungUp || !amiUp) {
            if (!amiUp) {
                tap.attempts--; // not the tap's fault: without AMI no Originate can be sent
            }
            retry(tap);
        } else if (tap.attempts < settings.tapAttempts()) {
            vertx.setTimer(retryDelayMs(tap.attempts), id -> retry(tap));
        } else {
            counters.tapsFailed.incrementAndGet();
            giveUp(tap, reason);
        }
    }

    /**
     * The next attempt of a tap whose attempt failed, unless the tap ended meanwhile; a hung-up channel
     * ends it instead, and while AMI is down (the leg may have hung up unseen) it waits for the resync.
     */
    private void retry(LegTap tap) {
        if (tap.done) {
            return;
        }
        if (tap.primary.channel.hungUp) {
            finish(tap, "hangup");
        } else if (!amiUp) {
            parked.add(tap);
        } else {
            attempt(tap);
        }
    }

    /** The wait before the attempt after {@code failed} failed ones: tapRetryDelay, doubling each time. */
    private long retryDelayMs(int failed) {
        return Math.min(MAX_RETRY_DELAY_MS, settings.tapRetryDelay().toMillis() << Math.min(failed - 1, 20));
    }

    private void giveUp(LegTap tap, String reason) {
        tap.done = true;
        taps.remove(tap);
        for (Leg leg : legsOf(tap)) {
            if (leg.ended) {
                continue;
            }
            leg.failed = true;
            TappedLeg info = leg.info;
            int attempts = tap.attempts;
            if (leg.tapped) {
                leg.stream.afterFrames("onTapFailed", () -> listener.onTapFailed(info, reason, attempts));
            } else {
                delivery.event("onTapFailed", () -> listener.onTapFailed(info, reason, attempts));
            }
            endLeg(leg, "tap failed: " + reason);
        }
    }

    private void finish(LegTap tap, String reason) {
        if (tap.done) {
            return;
        }
        tap.done = true;
        revoke(tap);
        taps.remove(tap);
        for (Leg leg : legsOf(tap)) {
            endLeg(leg, reason);
        }
    }

    private void revoke(LegTap tap) {
        if (tap.uuid != null) {
            issued.remove(tap.uuid);
        }
        tap.cancelTimers(vertx);
    }

    private void endLeg(Leg leg, String reason) {
        if (leg.ended) {
            return;
        }
        leg.ended = true;
        if (leg.tapped) {
            TappedLeg info = leg.info;
            leg.stream.afterFrames("onLegEnded", () -> listener.onLegEnded(info, reason));
        }
        legEnded.accept(leg);
    }

    private static List<Leg> legsOf(LegTap tap) {
        return tap.secondary == null ? List.of(tap.primary) : List.of(tap.primary, tap.secondary);
    }

    /** The leg's tap works (its first frame, or AMI confirmed its ChanSpy): its audio and time line begin. */
    private void open(Leg leg) {
        if (leg.tapped || leg.ended) {
            return;
        }
        leg.tapped = true;
        leg.timeline =
                new LegTimeline(leg.info.sampleRate(), settings.silenceAfter().toNanos(), System.nanoTime());
        leg.stream = delivery.openLeg(leg.info);
        TappedLeg info = leg.info;
        delivery.event("onLegTapped", () -> listener.onLegTapped(info));
        if (leg.paused) {
            delivery.event("onLegPaused", () -> listener.onLegPaused(info)); // put on hold before its tap worked
        }
        stateChanged.run();
    }

    private void deliver(Leg leg, short[] samples, int rate) {
        if (leg.ended) {
            return;
        }
        open(leg);
        int silence = leg.timeline.silenceBeforeFrame(System.nanoTime(), samples.length);
        if (silence > 0) {
            offerSilence(leg, silence);
        }
        if (leg.paused) {
            counters.framesOnHold.incrementAndGet();
        }
        offer(leg, samples, rate);
    }

    /** Places audio (or silence) on the leg's time line; passes it on unless the leg is on hold. */
    private void offer(Leg leg, short[] samples, int rate) {
        long startMs = leg.timeline.advance(samples.length);
        if (!leg.paused) {
            leg.stream.offer(new AudioFrame(samples, rate, leg.sequence++, startMs));
        }
    }

    private void offerSilence(Leg leg, int samples) {
        if (!leg.paused) {
            counters.silenceFrames.incrementAndGet();
        }
        offer(leg, new short[samples], leg.info.sampleRate());
    }

    /** The tick: silence for every live leg whose frames stopped longer than silenceAfter ago. */
    private void fillSilence() {
        long now = System.nanoTime();
        for (LegTap tap : taps) {
            for (Leg leg : legsOf(tap)) {
                if (leg.tapped && !leg.ended) {
                    int silence = leg.timeline.silenceAtTick(now);
                    if (silence > 0) {
                        offerSilence(leg, silence);
                    }
                }
            }
        }
    }

    /** AMI vouches for a tap that sends no frames: its ChanSpy runs on a channel that is still up. */
    private static boolean quietButAlive(LegTap tap) {
        return tap.session != null && tap.spyConfirmed && !tap.primary.channel.hungUp;
    }

    /** Receives one attempt's connection; ignores everything once the attempt is no longer current. */
    private final class AttemptSink implements TapSink {
        private final LegTap tap;
        private final UUID uuid;

        AttemptSink(LegTap tap, UUID uuid) {
            this.tap = tap;
            this.uuid = uuid;
        }

        private boolean current() {
            return !tap.done && uuid.equals(tap.uuid);
        }

        @Override
        public TapFormat format() {
            return new TapFormat(settings.sampleRate(), settings.stereoTap());
        }

        @Override
        public void onConnected(AudioSocketSession session) {
            if (!current()) {
                session.stop("tap no longer wanted");
                return;
            }
            tap.session = session;
            tap.lastAudioNanos = System.nanoTime();
            if (tap.spyConfirmed) {
                legsOf(tap).forEach(TapManager.this::open);
            }
            tap.cancelConnectTimer(vertx);
            long timeoutMs = settings.noAudioTimeout().toMillis();
            tap.watchdogTimer = vertx.setPeriodic(Math.max(10, timeoutMs / 4), id -> {
                if (!current()) {
                    vertx.cancelTimer(id);
                    return;
                }
                if (tap.paused() || quietButAlive(tap)) {
                    tap.lastAudioNanos = System.nanoTime();
                } else if ((System.nanoTime() - tap.lastAudioNanos) / 1_000_000 > timeoutMs) {
                    fail(tap, uuid, "no audio for " + timeoutMs + " ms");
                }
            });
        }

        @Override
        public void onAudio(DecodedAudio audio) {
            if (!current()) {
                return;
            }
            counters.framesReceived.incrementAndGet();
            tap.lastAudioNanos = System.nanoTime();
            if (!tap.audioSeen) {
                tap.audioSeen = true;
                counters.tapsStarted.incrementAndGet();
            }
            deliver(tap.primary, audio.own(), audio.sampleRate());
            if (tap.secondary != null && audio.heard() != null) {
                deliver(tap.secondary, audio.heard(), audio.sampleRate());
            }
        }

        @Override
        public void onDtmf(char digit) {
            log.debug("AudioSocket DTMF on tap {} ignored (DTMF is reported from AMI; digits are never logged)", uuid);
        }

        @Override
        public void onClosed(String reason, boolean protocolError) {
            if (!current()) {
                return;
            }
            AudioSocketSession closed = tap.session;
            tap.session = null;
            if (protocolError) {
                fail(tap, uuid, reason);
                return;
            }
            if (tap.primary.channel.hungUp) {
                finish(tap, "hangup");
                return;
            }
            // the leg's Hangup may still be on its way over AMI (another TCP connection)
            vertx.setTimer(settings.hangupGrace().toMillis(), id -> {
                if (!current() || tap.session != null && tap.session != closed) {
                    return;
                }
                if (tap.primary.channel.hungUp) {
                    finish(tap, "hangup");
                } else {
                    fail(
                            tap,
                            uuid,
                            (tap.audioSeen
                                            ? "tap closed while the leg is still up: "
                                            : "tap closed before any audio (UUID then close): ")
                                    + reason);
                }
            });
        }
    }
}
