package io.captioner.connector;

/** One party's voice in a captioned call (connector context only, except the stream). */
final class Leg {
    final Call call;
    final Channel channel;
    final TappedLeg info;
    LegTap tap;
    Delivery.LegStream stream;
    boolean tapped;
    boolean paused;
    boolean failed;
    boolean ended;
    long sequence;
    LegTimeline timeline;

    Leg(Call call, Channel channel, TappedLeg info) {
        this.call = call;
        this.channel = channel;
        this.info = info;
    }

    String state() {
        if (ended) {
            return failed ? "failed" : "ended";
        }
        if (!tapped) {
            return "tapping";
        }
        return paused ? "paused" : "live";
    }
}
