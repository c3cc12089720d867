package io.captioner.connector.audiosocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** However TCP cuts or glues the stream, the parser yields the same messages. */
class AudioSocketParserPropertyTest {

    @Provide
    Arbitrary<AudioSocketMessage> messages() {
        Arbitrary<Integer> kinds = Arbitraries.of(0x01, 0x03, 0x10, 0x12, 0x18, 0x00, 0xFF);
        return kinds.flatMap(kind -> {
            int max = kind == 0x01 ? 16 : AudioSocketKind.maxPayload(kind);
            int min = kind == 0x01 ? 16 : 0;
            return Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMinSize(min)
                    .ofMaxSize(Math.min(max, 700))
                    .map(p -> new AudioSocketMessage(kind, p));
        });
    }

    @Property
    void arbitrarySplitsGiveTheSameMessages(
            @ForAll @Size(max = 30) List<@From("messages") AudioSocketMessage> sent,
            @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 900) Integer> cuts)
            throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (AudioSocketMessage m : sent) {
            wire.writeBytes(AudioSocketWire.message(m.kind(), m.payload()));
        }
        byte[] bytes = wire.toByteArray();
        List<AudioSocketMessage> received = new ArrayList<>();
        AudioSocketParser parser = new AudioSocketParser(received::add);
        int pos = 0;
        for (int cut : cuts) {
            int n = Math.min(cut, bytes.length - pos);
            parser.feed(bytes, pos, n);
            pos += n;
        }
        parser.feed(bytes, pos, bytes.length - pos);
        assertEquals(sent, received);
        assertTrue(parser.atMessageBoundary());
    }

    @Property
    void randomBytesNeverHangOrCrashTheParser(
            @ForAll @Size(max = 2000) byte[] garbage, @ForAll @IntRange(min = 1, max = 64) int chunk) {
        AudioSocketParser parser = new AudioSocketParser(m -> {});
        try {
            for (int pos = 0; pos < garbage.length; pos += chunk) {
                parser.feed(garbage, pos, Math.min(chunk, garbage.length - pos));
            }
        } catch (AudioSocketProtocolException e) {
            assertTrue(e.getMessage().contains("at byte"), e.getMessage());
        }
    }

    @Property
    void impossibleLengthsAreRejectedAtTheHeader(@ForAll @IntRange(min = 3201, max = 65535) int length) {
        AudioSocketParser parser = new AudioSocketParser(m -> {});
        byte[] header = {0x10, (byte) (length >> 8), (byte) length};
        AudioSocketProtocolException e = assertThrows(AudioSocketProtocolException.class, () -> parser.feed(header));
        assertTrue(e.getMessage().contains("impossible length " + length), e.getMessage());
    }

    @Property
    void unknownKindsAreRejected(@ForAll("unknownKinds") int kind) {
        AudioSocketParser parser = new AudioSocketParser(m -> {});
        AudioSocketProtocolException e =
                assertThrows(AudioSocketProtocolException.class, () -> parser.feed(new byte[] {(byte) kind, 0, 1, 0}));
        assertTrue(e.getMessage().contains("unknown message kind"), e.getMessage());
    }

    @Provide
    Arbitrary<Integer> unknownKinds() {
        return Arbitraries.integers().between(0, 255).filter(k -> AudioSocketKind.maxPayload(k) < 0);
    }
}
