package io.captioner.connector;

import java.util.HashSet;
import java.util.Set;

/** What the tracker knows of one Asterisk channel (mutable, connector context only). */
final class Channel {
    final String uniqueId;
    final String linkedId;
    final long order;
    String name;
    String context = "";
    String exten = "";
    String callerNum = "";
    String connectedNum = "";
    String bridgeId;
    boolean hungUp;
    String hangupReason = "";
    final Set<String> contextsSeen = new HashSet<>();
    final Set<String> variables = new HashSet<>();

    Channel(String uniqueId, String linkedId, String name, long order) {
        this.uniqueId = uniqueId;
        this.linkedId = linkedId;
        this.name = name;
        this.order = order;
    }

    void update(AmiEvent e) {
        if (!e.get("channel").isEmpty()) {
            name = e.get("channel");
        }
        if (!e.get("context").isEmpty()) {
            context = e.get("context");
            contextsSeen.add(context);
        }
        if (!e.get("exten").isEmpty()) {
            exten = e.get("exten");
        }
        callerNum = known(e.get("callerNum"), callerNum);
        connectedNum = known(e.get("connectedNum"), connectedNum);
    }

    boolean isLocal() {
        return name.startsWith("Local/");
    }

    private static String known(String value, String previous) {
        return value.isEmpty() || value.equals("<unknown>") ? previous : value;
    }

    /** Channels the service or Asterisk helpers create; never part of a captioned call. */
    static boolean isOwnOrHelper(String channelName) {
        return channelName.startsWith("AudioSocket/")
                || channelName.startsWith("Snoop/")
                || channelName.startsWith("UnicastRTP/")
                || channelName.startsWith("WebSocket/");
    }
}
