package io.captioner.connector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows calls from AMI events on the connector context: channels grouped by Linkedid, bridge
 * membership, the caption policy, leg roles; decides which channels to tap.
 *
 * <p>A channel is tapped when its call qualifies and it sits in a bridge with another party. The
 * service's own channels (AudioSocket/, Snoop/, UnicastRTP/, WebSocket/) are never part of a call.
 * Local channel halves are helpers when their bridge also holds a real (non-Local) channel: with
 * queues or follow-me the real phones are bridged with Local halves, and tapping both would hear
 * every voice twice. In a bridge of Local halves only (as in the captured fixture, where
 * {@code Local/caller@test;2} and {@code Local/agent@test;1} are bridged), the halves carry the
 * voices and are tapped.
 */
final class CallTracker {
    private static final Logger log = LoggerFactory.getLogger(CallTracker.class);

    private final ConnectorSettings settings;
    private final TapManager taps;
    private final Delivery delivery;
    private final CallListener listener;
    private final Map<String, Channel> channels = new HashMap<>();
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Set<Channel>> bridges = new HashMap<>();
    private final Consumer<List<CallSnapshot>> snapshots;
    private final VariableReader variables;
    private long order;
    /** Channels that AMI events mentioned since the channel list was requested: newer than the list. */
    private final Set<String> touchedSinceListing = new HashSet<>();

    /** Reads a channel variable over AMI; the answer must come back on the connector context. */
    interface VariableReader {
        void read(String channel, String variable, Consumer<String> value);
    }

    CallTracker(
            ConnectorSettings settings,
            TapManager taps,
            Delivery delivery,
            CallListener listener,
            Consumer<List<CallSnapshot>> snapshots,
            VariableReader variables) {
        this.variables = variables;
        this.settings = settings;
        this.taps = taps;
        this.delivery = delivery;
        this.listener = listener;
        this.snapshots = snapshots;
    }

    void onEvent(AmiEvent e) {
        if (e.type() == AmiEvent.Type.CORE_SHOW_CHANNEL) {
            return; // answers to our CoreShowChannels also reach the event listeners; resync() handles them
        }
        if (!e.get("uniqueid").isEmpty()) {
            touchedSinceListing.add(e.get("uniqueid"));
        }
        switch (e.type()) {
            case NEW_CHANNEL, CHANNEL_UPDATE -> {
                Channel c = channelFor(e);
                if (c != null) {
                    c.update(e);
                    evaluate(calls.get(c.linkedId));
                }
            }
            case VAR_SET -> onVarSet(e);
            case BRIDGE_ENTER -> {
                Channel c = channelFor(e);
                if (c != null) {
                    c.update(e);
                    moveToBridge(c, e.get("bridge"));
                    // a bridge may join channels of two Linkedids: look at every call in it
                    for (Channel member : List.copyOf(bridges.get(c.bridgeId))) {
                        evaluate(calls.get(member.linkedId));
                    }
                }
            }
            case BRIDGE_LEAVE -> {
                Channel c = channels.get(e.get("uniqueid"));
                if (c != null && e.get("bridge").equals(c.bridgeId)) {
                    moveToBridge(c, null);
                }
            }
            case HANGUP -> {
                Channel c = channels.get(e.get("uniqueid"));
                if (c != null) {
                    hangup(c, e.get("causeTxt").isEmpty() ? "hangup" : "hangup (" + e.get("causeTxt") + ")");
                }
            }
            case HOLD, UNHOLD -> {
                Leg leg = legOf(e.get("uniqueid"));
                if (leg != null) {
                    taps.onHold(leg, e.type() == AmiEvent.Type.HOLD);
                }
            }
            case DTMF -> onDtmf(e);
            case ORIGINATE_RESPONSE -> taps.onOriginateResponse(e);
            case CHANSPY_START -> taps.onChanSpyStart(e);
            case CHANSPY_STOP -> taps.onChanSpyStop(e);
            default -> {}
        }
        if (e.type() != AmiEvent.Type.CHANNEL_UPDATE && e.type() != AmiEvent.Type.DTMF) {
            publish();
        }
    }

    /** Called (on the context) just before CoreShowChannels is sent. */
    void listingRequested() {
        touchedSinceListing.clear();
    }

    /**
     * Reconciles with the channel list Asterisk reports after a (re)connect. Channels that events
     * mentioned after the list was requested are newer than the list and keep their state.
     */
    void resync(List<AmiEvent> listed) {
        Set<String> live = new HashSet<>(touchedSinceListing);
        List<AmiEvent> real = new ArrayList<>();
        for (AmiEvent e : listed) {
            if (touchedSinceListing.contains(e.get("uniqueid"))) {
                continue;
            }
            if (!Channel.isOwnOrHelper(e.get("channel"))) {
                real.add(e);
                live.add(e.get("uniqueid"));
            }
        }
        for (Channel c : List.copyOf(channels.values())) {
            if (!live.contains(c.uniqueId)) {
                hangup(c, "gone after the manager connection was restored");
            }
        }
        real.sort(Comparator.comparingLong((AmiEvent e) -> -seconds(e.get("duration")))
                .thenComparing(e -> e.get("uniqueid").equals(e.get("linkedid")) ? 0 : 1));
        for (AmiEvent e : real) {
            Channel c = channelFor(e);
            c.update(e);
            moveToBridge(c, e.get("bridge").isEmpty() ? null : e.get("bridge"));
        }
        log.info(
                "resynchronised with Asterisk: {} channels listed, {} of them calls' channels, {} calls tracked",
                listed.size(),
                real.size(),
                calls.size());
        evaluateAll();
        askForCaptionVariable(real);
        publish();
    }

    /**
     * With the CHANNEL_VARIABLE policy, the VarSet of calls that began before this connection was
     * missed: ask each listed channel of a call that does not qualify yet.
     */
    private void askForCaptionVariable(List<AmiEvent> listed) {
        CaptionPolicy policy = settings.captionPolicy();
        if (policy.mode() != CaptionPolicy.Mode.CHANNEL_VARIABLE) {
            return;
        }
        for (AmiEvent e : listed) {
            Channel c = channels.get(e.get("uniqueid"));
            Call call = c == null ? null : calls.get(c.linkedId);
            if (call == null || call.variableMatched || call.over) {
                continue;
            }
            variables.read(c.name, policy.variableName(), value -> {
                if (value != null && policy.variableValue().equalsIgnoreCase(value) && !call.over) {
                    call.variableMatched = true;
                    evaluate(call);
                    publish();
                }
            });
        }
    }

    /** Marks a call for captioning (ON_REQUEST policy, or any policy as an override). */
    boolean requestCaptioning(String callId) {
        Call call = calls.get(callId);
        if (call == null || call.over) {
            return false;
        }
        call.captionRequested = true;
        evaluate(call);
        publish();
        return true;
    }

    /** Connector stop: every call ends (after taps.stopAll() ended their legs). */
    void shutdown(String reason) {
        for (Call call : List.copyOf(calls.values())) {
            call.over = true;
            call.endReason = reason;
            maybeEnd(call);
        }
        publish();
    }

    void legEnded(Leg leg) {
        maybeEnd(leg.call);
        publish();
    }

    private Channel channelFor(AmiEvent e) {
        String name = e.get("channel");
        String uniqueId = e.get("uniqueid");
        if (uniqueId.isEmpty() || Channel.isOwnOrHelper(name)) {
            return null;
        }
        Channel c = channels.get(uniqueId);
        if (c == null) {
            String linkedId = e.get("linkedid").isEmpty() ? uniqueId : e.get("linkedid");
            c = new Channel(uniqueId, linkedId, name, order++);
            channels.put(uniqueId, c);
            Call call = calls.computeIfAbsent(linkedId, id -> new Call(id, Instant.now()));
            call.channels.put(uniqueId, c);
        }
        return c;
    }

    private void onVarSet(AmiEvent e) {
        Channel c = channels.get(e.get("uniqueid"));
        if (c == null) {
            return;
        }
        Call owner = calls.get(c.linkedId);
        String name = e.get("variable");
        String value = e.get("value");
        if (owner != null && !name.isEmpty()) {
            owner.variables.put(name, value);
            if (owner.started && !owner.over) {
                CallInfo info = owner.describe();
                delivery.event("onCallVariable", () -> listener.onCallVariable(info, name, value));
            }
        }
        CaptionPolicy policy = settings.captionPolicy();
        if (policy.mode() == CaptionPolicy.Mode.CHANNEL_VARIABLE
                && policy.variableName().equals(e.get("variable"))
                && policy.variableValue().equalsIgnoreCase(e.get("value"))) {
            Call call = calls.get(c.linkedId);
            call.variableMatched = true;
            evaluate(call);
        }
    }

    private void onDtmf(AmiEvent e) {
        if (!"Received".equalsIgnoreCase(e.get("direction")) || e.get("digit").isEmpty()) {
            return;
        }
        Leg leg = legOf(e.get("uniqueid"));
        if (leg != null && !leg.ended) {
            TappedLeg info = leg.info;
            char digit = e.get("digit").charAt(0);
            delivery.event("onDtmf", () -> listener.onDtmf(info, digit));
        }
    }

    private Leg legOf(String uniqueId) {
        Channel c = channels.get(uniqueId);
        if (c == null) {
            return null;
        }
        Call call = calls.get(c.linkedId);
        return call == null ? null : call.legs.get(uniqueId);
    }

    private void hangup(Channel c, String reason) {
        c.hungUp = true;
        moveToBridge(c, null);
        channels.remove(c.uniqueId);
        Call call = calls.get(c.linkedId);
        taps.onChannelGone(c);
        if (call != null && call.allChannelsGone()) {
            call.over = true;
            call.endReason = reason;
            maybeEnd(call);
        }
    }

    private void maybeEnd(Call call) {
        if (!call.over || !call.allLegsEnded() || !calls.containsKey(call.id)) {
            return;
        }
        calls.remove(call.id);
        if (call.started) {
            CallInfo info = call.describe();
            String reason = call.endReason;
            delivery.event("onCallEnded", () -> listener.onCallEnded(info, reason));
        }
    }

    private void evaluateAll() {
        for (Call call : List.copyOf(calls.values())) {
            evaluate(call);
        }
    }

    private boolean qualifies(Call call) {
        if (call.captionRequested) {
            return true;
        }
        CaptionPolicy policy = settings.captionPolicy();
        return switch (policy.mode()) {
            case ALL_BRIDGED -> true;
            case CONTEXTS ->
                call.channels.values().stream()
                        .anyMatch(c -> c.contextsSeen.stream().anyMatch(policy.contexts()::contains));
            case CHANNEL_VARIABLE -> call.variableMatched;
            case ON_REQUEST -> false;
        };
    }

    private void evaluate(Call call) {
        if (call == null || call.over || !qualifies(call)) {
            return;
        }
        List<Channel> tappable = call.channels.values().stream()
                .filter(this::isTappable)
                .sorted(Comparator.comparingLong(c -> c.order))
                .toList();
        if (settings.stereoTap()) {
            evaluateStereo(call, tappable);
            return;
        }
        List<Leg> fresh = new ArrayList<>();
        for (Channel c : tappable) {
            if (!call.legs.containsKey(c.uniqueId)) {
                fresh.add(newLeg(call, c, tappable));
            }
        }
        if (!fresh.isEmpty()) {
            startCaptioning(call);
        }
        fresh.forEach(leg -> taps.tap(leg, null));
    }

    /** One qEuD tap on the caller's channel; its right channel is the peer's voice. */
    private void evaluateStereo(Call call, List<Channel> tappable) {
        if (!call.legs.isEmpty() || tappable.size() < 2) {
            return;
        }
        Leg first = newLeg(call, tappable.get(0), tappable);
        Channel peer = tappable.stream()
                .filter(c -> c != first.channel && c.bridgeId.equals(first.channel.bridgeId))
                .findFirst()
                .orElse(tappable.get(1));
        Leg second = newLeg(call, peer, tappable);
        startCaptioning(call);
        taps.tap(first, second);
    }

    /** Reports the call (with the legs about to be tapped) the first time it gets legs. */
    private void startCaptioning(Call call) {
        if (call.started) {
            return;
        }
        call.started = true;
        CallInfo info = call.describe();
        log.info("captioning call {} ({} -> {})", call.id, info.callerNumber(), info.calleeNumber());
        delivery.event("onCallStarted", () -> listener.onCallStarted(info));
        call.variables.forEach(
                (name, value) -> delivery.event("onCallVariable", () -> listener.onCallVariable(info, name, value)));
    }

    private Leg newLeg(Call call, Channel c, List<Channel> tappable) {
        Leg leg = new Leg(
                call, c, new TappedLeg(call.id, c.uniqueId, roleOf(call, c, tappable), settings.sampleRate(), c.name));
        call.legs.put(c.uniqueId, leg);
        return leg;
    }

    private LegRole roleOf(Call call, Channel c, List<Channel> tappable) {
        for (RoleRule rule : settings.roleRules()) {
            if (rule.matches(c.name, c.context)) {
                return rule.role();
            }
        }
        boolean callerTaken = call.legs.values().stream().anyMatch(l -> l.info.role() == LegRole.CALLER);
        boolean earliest = tappable.stream().allMatch(o -> o.order >= c.order);
        return !callerTaken && earliest ? LegRole.CALLER : LegRole.AGENT;
    }

    private void moveToBridge(Channel c, String bridgeId) {
        if (c.bridgeId != null) {
            Set<Channel> old = bridges.get(c.bridgeId);
            if (old != null) {
                old.remove(c);
                if (old.isEmpty()) {
                    bridges.remove(c.bridgeId);
                }
            }
        }
        c.bridgeId = bridgeId;
        if (bridgeId != null) {
            bridges.computeIfAbsent(bridgeId, id -> new HashSet<>()).add(c);
        }
    }

    private boolean isTappable(Channel c) {
        if (c.hungUp || c.bridgeId == null) {
            return false;
        }
        Set<Channel> members = bridges.getOrDefault(c.bridgeId, Set.of());
        if (members.size() < 2) {
            return false;
        }
        return !c.isLocal() || members.stream().allMatch(Channel::isLocal);
    }

    /** Rebuilds the snapshot behind {@link AsteriskConnector#activeCalls()}. */
    void publish() {
        List<CallSnapshot> list = new ArrayList<>();
        for (Call call : calls.values()) {
            if (call.channels.isEmpty()) {
                continue;
            }
            CallInfo info = call.describe();
            List<CallSnapshot.LegSnapshot> legs = call.legs.values().stream()
                    .map(l -> new CallSnapshot.LegSnapshot(
                            l.info.legId(), l.info.channel(), l.info.role(), l.info.sampleRate(), l.state()))
                    .toList();
            list.add(new CallSnapshot(
                    call.id, info.callerNumber(), info.calleeNumber(), call.startedAt, call.started, legs));
        }
        snapshots.accept(List.copyOf(list));
    }

    private static long seconds(String duration) {
        String[] parts = duration.split(":");
        long s = 0;
        try {
            for (String p : parts) {
                s = s * 60 + Long.parseLong(p.trim());
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return s;
    }
}
