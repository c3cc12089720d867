package io.captioner.service.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The two legs of a scripted call as aligned 8 kHz tracks: while one party speaks, the other's
 * leg carries silence, as each ChanSpy {@code o} tap hears only its own party. {@code turns} says
 * where each turn lies on the tracks.
 */
public record ConversationAudio(short[] caller, short[] agent, List<TurnSpan> turns) {
    /** One turn's place on the tracks, in ms from their start. */
    public record TurnSpan(Conversation.Speaker speaker, long startMs, long endMs) {}

    private static final int GAP_SAMPLES = SpeechSynthesizer.SAMPLE_RATE * 6 / 5; // 1.2 s between turns

    public static ConversationAudio render(
            Conversation conversation, SpeechSynthesizer tts, String callerVoice, String agentVoice) {
        short[][] turns = new short[conversation.turns().size()][];
        int total = GAP_SAMPLES;
        for (int i = 0; i < turns.length; i++) {
            Conversation.Turn turn = conversation.turns().get(i);
            turns[i] = tts.speak(turn.speaker() == Conversation.Speaker.CALLER ? callerVoice : agentVoice, turn.text());
            total += turns[i].length + GAP_SAMPLES;
        }
        short[] caller = new short[total];
        short[] agent = new short[total];
        List<TurnSpan> spans = new ArrayList<>();
        int at = GAP_SAMPLES;
        for (int i = 0; i < turns.length; i++) {
            Conversation.Speaker speaker = conversation.turns().get(i).speaker();
            System.arraycopy(turns[i], 0, speaker == Conversation.Speaker.CALLER ? caller : agent, at, turns[i].length);
            spans.add(new TurnSpan(speaker, ms(at), ms(at + turns[i].length)));
            at += turns[i].length + GAP_SAMPLES;
        }
        return new ConversationAudio(caller, agent, List.copyOf(spans));
    }

    private static long ms(int samples) {
        return samples * 1000L / SpeechSynthesizer.SAMPLE_RATE;
    }
}
