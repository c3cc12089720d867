package io.captioner.service.demo;

import io.captioner.service.demo.Conversation.Speaker;
import io.captioner.service.demo.Conversation.Turn;
import java.util.List;

/** The calls the demo places, in turn: a customer and an agent of a call centre. */
public final class DemoConversations {
    private DemoConversations() {}

    public static final List<Conversation> ALL = List.of(
            new Conversation("5551234", "1000", List.of(
                    new Turn(Speaker.AGENT, "thank you for calling customer service how can i help you today"),
                    new Turn(Speaker.CALLER, "hi i would like to check the balance on my account"),
                    new Turn(Speaker.AGENT, "of course can you please read me your account number"),
                    new Turn(Speaker.CALLER, "yes it is four two one seven nine three"),
                    new Turn(Speaker.AGENT, "thank you your balance is one hundred and twenty dollars"))),
            new Conversation("5559876", "1001", List.of(
                    new Turn(Speaker.AGENT, "good morning this is the billing department"),
                    new Turn(Speaker.CALLER, "i was charged twice for my last order"),
                    new Turn(Speaker.AGENT, "i am sorry to hear that let me look into it for you"),
                    new Turn(Speaker.CALLER, "thank you very much"))),
            new Conversation("5550001", "1002", List.of(
                    new Turn(Speaker.AGENT, "hello how may i help you"),
                    new Turn(Speaker.CALLER, "i need to change the address on my card"),
                    new Turn(Speaker.AGENT, "no problem what is the new street address"),
                    new Turn(Speaker.CALLER, "it is twelve main street"))));

    public static Conversation forCall(int index) {
        return ALL.get(index % ALL.size());
    }
}
