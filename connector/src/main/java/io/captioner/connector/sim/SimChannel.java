package io.captioner.connector.sim;

/** A channel in the simulator; its voice is what a ChanSpy 'o' tap on it hears. */
final class SimChannel {
    final String name;
    final String uniqueId;
    final String linkedId;
    final long createdNanos = System.nanoTime();
    int state;
    String context;
    String exten;
    int priority = 1;
    String callerNum = "<unknown>";
    String connectedNum = "<unknown>";
    String application = "";
    String applicationData = "";
    SimBridge bridge;
    PartyAudio voice;
    long voiceStartNanos;
    boolean alive = true;
    int tapAttempts;
    final java.util.Map<String, String> variables = new java.util.HashMap<>();

    SimChannel(String name, String uniqueId, String linkedId, int state, String context, String exten) {
        this.name = name;
        this.uniqueId = uniqueId;
        this.linkedId = linkedId;
        this.state = state;
        this.context = context;
        this.exten = exten;
    }

    static String stateDesc(int state) {
        return switch (state) {
            case 0 -> "Down";
            case 4 -> "Ring";
            case 5 -> "Ringing";
            case 6 -> "Up";
            default -> "Unknown";
        };
    }

    /** The voice sample this channel reads at a sample index of its speech timeline, at a rate. */
    long speechIndex(long nowNanos, int rate) {
        return (nowNanos - voiceStartNanos) * rate / 1_000_000_000L;
    }
}
