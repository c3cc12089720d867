package io.captioner.service.demo;

import java.util.List;

/** A scripted call: who speaks which sentence, in order. */
public record Conversation(String callerNumber, String agentNumber, List<Turn> turns) {
    public enum Speaker {
        CALLER,
        AGENT
    }

    public record Turn(Speaker speaker, String text) {}

    /** The words each party says, in order, for scoring captions against what was spoken. */
    public String script(Speaker speaker) {
        StringBuilder sb = new StringBuilder();
        for (Turn t : turns) {
            if (t.speaker() == speaker) {
                sb.append(sb.isEmpty() ? "" : " ").append(t.text());
            }
        }
        return sb.toString();
    }
}
