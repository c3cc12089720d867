package io.captioner.connector;

import java.time.Instant;
import java.util.List;

/**
 * A call as the connector sees it when captioning starts or ends.
 *
 * @param callId       Asterisk's Linkedid: the same for every channel of the call
 * @param callerNumber caller id number of the calling party, empty when Asterisk does not know it
 * @param calleeNumber the number that was dialled (or the answering party's number), empty when unknown
 * @param channels     the call's channel names known at that moment (the service's own tap channels excluded)
 * @param legs         the legs being captioned at that moment, with their roles (at the start: those about to
 *                     be tapped)
 * @param startedAt    when the connector first saw the call's first channel
 */
public record CallInfo(
        String callId,
        String callerNumber,
        String calleeNumber,
        List<String> channels,
        List<TappedLeg> legs,
        Instant startedAt) {
    public CallInfo {
        channels = List.copyOf(channels);
        legs = List.copyOf(legs);
    }
}
