package io.captioner.connector;

import java.util.HashMap;
import java.util.Map;
import org.asteriskjava.manager.event.AbstractBridgeEvent;
import org.asteriskjava.manager.event.AbstractChannelEvent;
import org.asteriskjava.manager.event.AbstractHoldEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.ChanSpyStartEvent;
import org.asteriskjava.manager.event.ChanSpyStopEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.DtmfEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HoldEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.UnholdEvent;
import org.asteriskjava.manager.event.VarSetEvent;

/**
 * An immutable copy of the few fields of an Asterisk-Java event the connector uses, made on the
 * library's thread so the mutable library object never crosses to Vert.x.
 */
record AmiEvent(Type type, Map<String, String> fields) {

    enum Type {
        CONNECTED,
        DISCONNECTED,
        NEW_CHANNEL,
        CHANNEL_UPDATE,
        VAR_SET,
        BRIDGE_ENTER,
        BRIDGE_LEAVE,
        HANGUP,
        HOLD,
        UNHOLD,
        DTMF,
        ORIGINATE_RESPONSE,
        CHANSPY_START,
        CHANSPY_STOP,
        CORE_SHOW_CHANNEL
    }

    AmiEvent {
        fields = Map.copyOf(fields);
    }

    String get(String key) {
        return fields.getOrDefault(key, "");
    }

    /** Copies a library event; null for events the connector does not use. */
    static AmiEvent copyOf(ManagerEvent e) {
        Map<String, String> f = new HashMap<>();
        Type type;
        if (e instanceof ConnectEvent) {
            type = Type.CONNECTED;
        } else if (e instanceof DisconnectEvent) {
            type = Type.DISCONNECTED;
        } else if (e instanceof NewChannelEvent n) {
            type = Type.NEW_CHANNEL;
            channel(f, n);
            put(f, "linkedid", n.getLinkedid());
        } else if (e instanceof NewStateEvent n) {
            type = Type.CHANNEL_UPDATE;
            channel(f, n);
            put(f, "linkedid", n.getLinkedId());
        } else if (e instanceof HangupEvent h) {
            type = Type.HANGUP;
            channel(f, h);
            put(f, "linkedid", h.getLinkedId());
            put(f, "cause", h.getCause() == null ? "" : h.getCause().toString());
            put(f, "causeTxt", h.getCauseTxt());
        } else if (e instanceof VarSetEvent v) {
            type = Type.VAR_SET;
            put(f, "channel", v.getChannel());
            put(f, "uniqueid", v.getUniqueId());
            put(f, "linkedid", v.getLinkedId());
            put(f, "context", v.getContext());
            put(f, "variable", v.getVariable());
            put(f, "value", v.getValue());
        } else if (e instanceof BridgeEnterEvent b) {
            type = Type.BRIDGE_ENTER;
            bridge(f, b);
            put(f, "channel", b.getChannel());
            put(f, "uniqueid", b.getUniqueId());
            put(f, "linkedid", b.getLinkedId());
        } else if (e instanceof BridgeLeaveEvent b) {
            type = Type.BRIDGE_LEAVE;
            bridge(f, b);
            put(f, "channel", b.getChannel());
            put(f, "uniqueid", b.getUniqueId());
            put(f, "linkedid", b.getLinkedId());
        } else if (e instanceof HoldEvent || e instanceof UnholdEvent) {
            AbstractHoldEvent h = (AbstractHoldEvent) e;
            type = e instanceof HoldEvent ? Type.HOLD : Type.UNHOLD;
            put(f, "channel", h.getChannel());
            put(f, "uniqueid", h.getUniqueId());
        } else if (e instanceof DtmfEndEvent d) {
            type = Type.DTMF;
            put(f, "channel", d.getChannel());
            put(f, "uniqueid", d.getUniqueId());
            put(f, "digit", d.getDigit());
            put(f, "direction", d.getDirection());
        } else if (e instanceof OriginateResponseEvent o) {
            type = Type.ORIGINATE_RESPONSE;
            put(f, "actionid", o.getActionId());
            put(f, "response", o.getResponse());
            put(f, "reason", o.getReason() == null ? "" : o.getReason().toString());
            put(f, "channel", o.getChannel());
        } else if (e instanceof ChanSpyStartEvent s) {
            type = Type.CHANSPY_START;
            put(f, "spyer", s.getSpyerChannel());
            put(f, "spyee", s.getSpyeeChannel());
            put(f, "spyeeUniqueid", s.getSpyeeUniqueId());
        } else if (e instanceof ChanSpyStopEvent s) {
            type = Type.CHANSPY_STOP;
            put(f, "spyer", s.getSpyerChannel());
            put(f, "spyee", s.getSpyeeChannel());
        } else if (e instanceof CoreShowChannelEvent c) {
            type = Type.CORE_SHOW_CHANNEL;
            put(f, "channel", c.getChannel());
            put(f, "uniqueid", c.getUniqueid());
            put(f, "linkedid", c.getLinkedid());
            put(f, "context", c.getContext());
            put(f, "exten", c.getExten());
            put(f, "callerNum", c.getCallerIdNum());
            put(f, "connectedNum", c.getConnectedLineNum());
            put(f, "bridge", c.getBridgeid());
            put(f, "duration", c.getDuration());
        } else if (e instanceof AbstractChannelEvent c) {
            type = Type.CHANNEL_UPDATE; // NewCallerid, NewConnectedLine, Newexten ...
            channel(f, c);
        } else {
            return null;
        }
        return new AmiEvent(type, f);
    }

    private static void channel(Map<String, String> f, AbstractChannelEvent c) {
        put(f, "channel", c.getChannel());
        put(f, "uniqueid", c.getUniqueId());
        put(f, "context", c.getContext());
        put(f, "exten", c.getExten());
        put(f, "callerNum", c.getCallerIdNum());
        put(f, "connectedNum", c.getConnectedLineNum());
    }

    private static void bridge(Map<String, String> f, AbstractBridgeEvent b) {
        put(f, "bridge", b.getBridgeUniqueId());
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
