package io.captioner.service.demo;

import io.captioner.service.demo.Conversation.Speaker;
import io.captioner.service.demo.Conversation.Turn;
import java.util.List;

/** The calls the demo places, in turn: a customer and an agent of a call centre. */
public final class DemoConversations {
    private DemoConversations() {}

    /**
     * What the caller of the second call reads out: a Luhn-valid test card number, in two halves with a pause
     * between, and a security code.
     */
    public static final class CardPayment {
        public static final String CARD_NUMBER_SPOKEN =
                "four five five six seven three seven five eight six eight nine nine eight five five";
        public static final String SECURITY_CODE_SPOKEN = "seven three one";

        private CardPayment() {}

        static String firstHalf() {
            return String.join(" ", List.of(CARD_NUMBER_SPOKEN.split(" ")).subList(0, 8));
        }

        static String secondHalf() {
            return String.join(" ", List.of(CARD_NUMBER_SPOKEN.split(" ")).subList(8, 16));
        }
    }

    public static final List<Conversation> ALL = List.of(
            new Conversation(
                    "5551234",
                    "1000",
                    List.of(
                            new Turn(Speaker.AGENT, "thank you for calling customer service how can i help you today"),
                            new Turn(Speaker.CALLER, "hi i would like to check the balance on my account"),
                            new Turn(Speaker.AGENT, "of course can you please read me your account number"),
                            new Turn(Speaker.CALLER, "yes it is four two one seven nine three"),
                            new Turn(Speaker.AGENT, "thank you your balance is one hundred and twenty dollars"))),
            // a card payment: the card number and the security code must reach no caption (redaction.*)
            new Conversation(
                    "5559876",
                    "1001",
                    List.of(
                            new Turn(Speaker.AGENT, "good morning this is the billing department"),
                            new Turn(Speaker.CALLER, "i would like to pay my bill with a card"),
                            new Turn(Speaker.AGENT, "of course please read me the card number"),
                            // read in two halves with a pause between: two finals that only together hold a card number
                            new Turn(Speaker.CALLER, "it is " + CardPayment.firstHalf()),
                            new Turn(Speaker.CALLER, CardPayment.secondHalf()),
                            new Turn(Speaker.AGENT, "thank you and the security code on the back"),
                            new Turn(Speaker.CALLER, CardPayment.SECURITY_CODE_SPOKEN),
                            new Turn(Speaker.AGENT, "thank you your payment is complete"))),
            new Conversation(
                    "5550001",
                    "1002",
                    List.of(
                            new Turn(Speaker.AGENT, "hello how may i help you"),
                            new Turn(Speaker.CALLER, "i need to change the address on my card"),
                            new Turn(Speaker.AGENT, "no problem what is the new street address"),
                            new Turn(Speaker.CALLER, "it is twelve main street"))));

    public static Conversation forCall(int index) {
        return ALL.get(index % ALL.size());
    }
}
