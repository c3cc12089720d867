package io.captioner.connector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A call: the channels sharing a Linkedid, and the legs tapped for captions (connector context only). */
final class Call {
    final String id;
    final Instant startedAt;
    final Map<String, Channel> channels = new LinkedHashMap<>();
    final Map<String, Leg> legs = new LinkedHashMap<>();
    /** Channel variables the dialplan set on the call's channels (AMI VarSet), latest value per name. */
    final Map<String, String> variables = new LinkedHashMap<>();

    boolean captionRequested;
    boolean variableMatched;
    boolean started;
    boolean over;
    String endReason = "hangup";
    CallInfo info;

    Call(String id, Instant startedAt) {
        this.id = id;
        this.startedAt = startedAt;
    }

    Channel firstChannel() {
        return channels.values().stream()
                .min((a, b) -> Long.compare(a.order, b.order))
                .orElse(null);
    }

    boolean allChannelsGone() {
        return channels.values().stream().allMatch(c -> c.hungUp);
    }

    boolean allLegsEnded() {
        return legs.values().stream().allMatch(l -> l.ended);
    }

    CallInfo describe() {
        Channel first = firstChannel();
        Leg callerLeg = legs.values().stream()
                .filter(l -> l.info.role() == LegRole.CALLER)
                .findFirst()
                .orElse(null);
        String caller = callerLeg != null ? callerLeg.channel.callerNum : first == null ? "" : first.callerNum;
        String callee = "";
        if (first != null && !first.exten.isEmpty() && !first.exten.equals("s")) {
            callee = first.exten;
        } else if (callerLeg != null) {
            callee = callerLeg.channel.connectedNum;
        }
        List<String> names = new ArrayList<>();
        channels.values().forEach(c -> names.add(c.name));
        return new CallInfo(
                id,
                caller,
                callee,
                names,
                legs.values().stream().map(l -> l.info).toList(),
                startedAt);
    }
}
