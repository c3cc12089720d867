package io.captioner.service.cluster;

import io.captioner.connector.AudioFrame;
import io.captioner.connector.CallInfo;
import io.captioner.connector.CallListener;
import io.captioner.connector.LegRole;
import io.captioner.connector.TappedLeg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of the audio topic: what a tapper's connector reported about a call ({@link CallListener}'s
 * callbacks), for a recognizer to replay in the same order. The value is binary: a format version, a type and
 * the fields; a leg's audio travels as little-endian 16-bit PCM, several frames per record.
 */
public sealed interface AudioRecord {
    byte FORMAT_VERSION = 1;

    /** The call every record belongs to: the record's key, so that a call stays on one partition. */
    String callId();

    /** Hands the record to {@code listener} as the connector would have. */
    void deliverTo(CallListener listener);

    /** The record's type byte, after the format version. */
    byte type();

    /** The fields after the type byte. */
    void writeFields(DataOutputStream out) throws IOException;

    record CallStarted(CallInfo call) implements AudioRecord {
        public String callId() {
            return call.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onCallStarted(call);
        }

        public byte type() {
            return 1;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeCall(out, call);
        }
    }

    record CallVariable(CallInfo call, String name, String value) implements AudioRecord {
        public String callId() {
            return call.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onCallVariable(call, name, value);
        }

        public byte type() {
            return 2;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeCall(out, call);
            out.writeUTF(name);
            out.writeUTF(value);
        }
    }

    record LegTapped(TappedLeg leg) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onLegTapped(leg);
        }

        public byte type() {
            return 3;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
        }
    }

    /** Consecutive frames of one leg, in order. */
    record Audio(TappedLeg leg, List<AudioFrame> frames) implements AudioRecord {
        public Audio {
            frames = List.copyOf(frames);
        }

        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            frames.forEach(frame -> listener.onAudio(leg, frame));
        }

        public byte type() {
            return 4;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
            out.writeInt(frames.size());
            for (AudioFrame frame : frames) {
                writeFrame(out, frame);
            }
        }
    }

    record LegPaused(TappedLeg leg) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onLegPaused(leg);
        }

        public byte type() {
            return 5;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
        }
    }

    record LegResumed(TappedLeg leg) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onLegResumed(leg);
        }

        public byte type() {
            return 6;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
        }
    }

    record Dtmf(TappedLeg leg, char digit) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onDtmf(leg, digit);
        }

        public byte type() {
            return 7;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
            out.writeChar(digit);
        }
    }

    record LegEnded(TappedLeg leg, String reason) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onLegEnded(leg, reason);
        }

        public byte type() {
            return 8;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
            out.writeUTF(reason);
        }
    }

    record TapFailed(TappedLeg leg, String reason, int attempts) implements AudioRecord {
        public String callId() {
            return leg.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onTapFailed(leg, reason, attempts);
        }

        public byte type() {
            return 9;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeLeg(out, leg);
            out.writeUTF(reason);
            out.writeInt(attempts);
        }
    }

    record CallEnded(CallInfo call, String reason) implements AudioRecord {
        public String callId() {
            return call.callId();
        }

        public void deliverTo(CallListener listener) {
            listener.onCallEnded(call, reason);
        }

        public byte type() {
            return 10;
        }

        public void writeFields(DataOutputStream out) throws IOException {
            writeCall(out, call);
            out.writeUTF(reason);
        }
    }

    /** The record's value bytes. */
    static byte[] encode(AudioRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeByte(record.type());
            record.writeFields(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The record a value holds; {@link IllegalArgumentException} naming what is wrong when it is not one. */
    static AudioRecord decode(byte[] value) {
        if (value == null || value.length < 2) {
            throw new IllegalArgumentException("an audio record needs at least 2 bytes, got "
                    + (value == null ? "none (a tombstone)" : value.length));
        }
        if (value[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("audio record format " + value[0] + " (this version reads "
                    + FORMAT_VERSION + "): tappers and recognizers of different versions share the topic");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 2, value.length - 2))) {
            AudioRecord record = switch (value[1]) {
                case 1 -> new CallStarted(readCall(in));
                case 2 -> new CallVariable(readCall(in), in.readUTF(), in.readUTF());
                case 3 -> new LegTapped(readLeg(in));
                case 4 -> readAudio(in);
                case 5 -> new LegPaused(readLeg(in));
                case 6 -> new LegResumed(readLeg(in));
                case 7 -> new Dtmf(readLeg(in), in.readChar());
                case 8 -> new LegEnded(readLeg(in), in.readUTF());
                case 9 -> new TapFailed(readLeg(in), in.readUTF(), in.readInt());
                case 10 -> new CallEnded(readCall(in), in.readUTF());
                default -> throw new IllegalArgumentException("unknown audio record type " + value[1]);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "audio record of type " + value[1] + " has " + in.available() + " bytes after its fields");
            }
            return record;
        } catch (IOException e) {
            throw new IllegalArgumentException("audio record of type " + value[1] + " is cut short", e);
        }
    }

    private static void writeCall(DataOutputStream out, CallInfo call) throws IOException {
        out.writeUTF(call.callId());
        out.writeUTF(call.callerNumber());
        out.writeUTF(call.calleeNumber());
        out.writeInt(call.channels().size());
        for (String channel : call.channels()) {
            out.writeUTF(channel);
        }
        out.writeInt(call.legs().size());
        for (TappedLeg leg : call.legs()) {
            writeLeg(out, leg);
        }
        out.writeLong(call.startedAt().toEpochMilli());
    }

    private static CallInfo readCall(DataInputStream in) throws IOException {
        String callId = in.readUTF();
        String caller = in.readUTF();
        String callee = in.readUTF();
        List<String> channels = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            channels.add(in.readUTF());
        }
        List<TappedLeg> legs = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            legs.add(readLeg(in));
        }
        return new CallInfo(callId, caller, callee, channels, legs, Instant.ofEpochMilli(in.readLong()));
    }

    private static void writeLeg(DataOutputStream out, TappedLeg leg) throws IOException {
        out.writeUTF(leg.callId());
        out.writeUTF(leg.legId());
        out.writeByte(leg.role().ordinal());
        out.writeInt(leg.sampleRate());
        out.writeUTF(leg.channel());
    }

    private static TappedLeg readLeg(DataInputStream in) throws IOException {
        String callId = in.readUTF();
        String legId = in.readUTF();
        int role = in.readUnsignedByte();
        if (role >= LegRole.values().length) {
            throw new IllegalArgumentException("leg " + legId + ": unknown role " + role);
        }
        return new TappedLeg(callId, legId, LegRole.values()[role], in.readInt(), in.readUTF());
    }

    private static void writeFrame(DataOutputStream out, AudioFrame frame) throws IOException {
        out.writeLong(frame.sequence());
        out.writeLong(frame.timestampMs());
        out.writeInt(frame.sampleRate());
        out.writeInt(frame.samples().length);
        ByteBuffer pcm = ByteBuffer.allocate(frame.samples().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        pcm.asShortBuffer().put(frame.samples());
        out.write(pcm.array());
    }

    private static Audio readAudio(DataInputStream in) throws IOException {
        TappedLeg leg = readLeg(in);
        List<AudioFrame> frames = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            long sequence = in.readLong();
            long timestampMs = in.readLong();
            int sampleRate = in.readInt();
            byte[] pcm = new byte[count(in) * 2];
            in.readFully(pcm);
            short[] samples = new short[pcm.length / 2];
            ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            frames.add(new AudioFrame(samples, sampleRate, sequence, timestampMs));
        }
        return new Audio(leg, frames);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("a count of " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }
}
