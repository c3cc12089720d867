package io.captioner.connector.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An AMI block in Asterisk's field order: "Key: Value" lines ending with an empty line. */
final class AmiMessage {
    private final List<String[]> fields = new ArrayList<>();

    static AmiMessage event(String name) {
        return new AmiMessage().add("Event", name);
    }

    static AmiMessage response(String response, String actionId) {
        AmiMessage m = new AmiMessage().add("Response", response);
        if (actionId != null) {
            m.add("ActionID", actionId);
        }
        return m;
    }

    AmiMessage add(String key, Object value) {
        fields.add(new String[] {key, String.valueOf(value)});
        return this;
    }

    /** The channel snapshot block Asterisk 22 puts in channel events, with an optional prefix (Dest, Spyer ...). */
    AmiMessage channel(String prefix, SimChannel c) {
        add(prefix + "Channel", c.name);
        add(prefix + "ChannelState", c.state);
        add(prefix + "ChannelStateDesc", SimChannel.stateDesc(c.state));
        add(prefix + "CallerIDNum", c.callerNum);
        add(prefix + "CallerIDName", "<unknown>");
        add(prefix + "ConnectedLineNum", c.connectedNum);
        add(prefix + "ConnectedLineName", "<unknown>");
        add(prefix + "Language", "en");
        add(prefix + "AccountCode", "");
        add(prefix + "Context", c.context);
        add(prefix + "Exten", c.exten);
        add(prefix + "Priority", c.priority);
        add(prefix + "Uniqueid", c.uniqueId);
        add(prefix + "Linkedid", c.linkedId);
        return this;
    }

    AmiMessage bridge(SimBridge b) {
        add("BridgeUniqueid", b.id);
        add("BridgeType", "basic");
        add("BridgeTechnology", "simple_bridge");
        add("BridgeCreator", "<unknown>");
        add("BridgeName", "<unknown>");
        add("BridgeNumChannels", b.members.size());
        add("BridgeVideoSourceMode", "none");
        return this;
    }

    byte[] bytes() {
        StringBuilder sb = new StringBuilder();
        for (String[] f : fields) {
            sb.append(f[0]).append(": ").append(f[1]).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
