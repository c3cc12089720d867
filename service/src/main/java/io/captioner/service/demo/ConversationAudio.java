package io.captioner.service.demo;

/**
 * The two legs of a scripted call as aligned 8 kHz tracks: while one party speaks, the other's
 * leg carries silence, as each ChanSpy {@code o} tap hears only its own party.
 */
public record ConversationAudio(short[] caller, short[] agent) {
    private static final int GAP_SAMPLES = SpeechSynthesizer.SAMPLE_RATE * 6 / 5; // 1.2 s between turns

    public static ConversationAudio render(Conversation conversation, SpeechSynthesizer tts, String callerVoice, String agentVoice) {
        short[][] turns = new short[conversation.turns().size()][];
        int total = GAP_SAMPLES;
        for (int i = 0; i < turns.length; i++) {
            Conversation.Turn turn = conversation.turns().get(i);
            turns[i] = tts.speak(turn.speaker() == Conversation.Speaker.CALLER ? callerVoice : agentVoice, turn.text());
            total += turns[i].length + GAP_SAMPLES;
        }
        short[] caller = new short[total];
        short[] agent = new short[total];
        int at = GAP_SAMPLES;
        for (int i = 0; i < turns.length; i++) {
            short[] target = conversation.turns().get(i).speaker() == Conversation.Speaker.CALLER ? caller : agent;
            System.arraycopy(turns[i], 0, target, at, turns[i].length);
            at += turns[i].length + GAP_SAMPLES;
        }
        return new ConversationAudio(caller, agent);
    }
}
