package io.captioner.connector.audiosocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.Goertzel;
import io.captioner.connector.sim.AudioSocketClientSimulator;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The captured byte streams, replayed over TCP into the real AudioSocket server in random chunks
 * (split and coalesced frames), come out as the same 50 frames with the right tones.
 */
class AudioSocketServerReplayTest {
    Vertx vertx;
    AudioSocketServer server;
    int port;
    final Map<UUID, CollectingSink> issued = new ConcurrentHashMap<>();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();

    /** A directory of taps this test issued; each collects what its connection carried. */
    final TapDirectory directory = uuid -> {
        CollectingSink sink = issued.get(uuid);
        if (sink == null) {
            throw new TapDirectory.TapRejectedException("not issued");
        }
        if (sink.connected) {
            throw new TapDirectory.TapRejectedException("already connected");
        }
        return sink;
    };

    static final class CollectingSink implements TapSink {
        final TapFormat format;
        final List<DecodedAudio> audio = new CopyOnWriteArrayList<>();
        volatile boolean connected;
        volatile String closeReason;
        volatile boolean protocolError;

        CollectingSink(TapFormat format) {
            this.format = format;
        }

        @Override
        public TapFormat format() {
            return format;
        }

        @Override
        public void onConnected(AudioSocketSession session) {
            connected = true;
        }

        @Override
        public void onAudio(DecodedAudio a) {
            audio.add(a);
        }

        @Override
        public void onDtmf(char digit) {}

        @Override
        public void onClosed(String reason, boolean protocolError) {
            this.protocolError = protocolError;
            closeReason = reason;
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = new AudioSocketServer(
                vertx,
                "127.0.0.1",
                0,
                List.of("127.0.0.1"),
                directory,
                Duration.ofSeconds(2),
                rejected,
                protocolErrors);
        port = server.start().await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void everyCaptureReplaysToTheRightFramesWhateverTheTcpChunking() throws Exception {
        Random random = new Random(42);
        Map<String, CollectingSink> sinks = new HashMap<>();
        for (Fixtures.Expectation x : Fixtures.ALL) {
            byte[] bytes = Fixtures.read(x.file());
            UUID uuid = AudioSocketWire.uuid(java.util.Arrays.copyOfRange(bytes, 3, 19));
            CollectingSink sink = new CollectingSink(x.format());
            issued.put(uuid, sink);
            sinks.put(x.file(), sink);
            try (AudioSocketClientSimulator client = AudioSocketClientSimulator.connect("127.0.0.1", port)) {
                for (int pos = 0; pos < bytes.length; ) {
                    int n = Math.min(bytes.length - pos, 1 + random.nextInt(random.nextBoolean() ? 7 : 900));
                    client.sendRaw(java.util.Arrays.copyOfRange(bytes, pos, pos + n));
                    pos += n;
                }
            }
        }
        for (Fixtures.Expectation x : Fixtures.ALL) {
            CollectingSink sink = sinks.get(x.file());
            long end = System.currentTimeMillis() + 5000;
            while (sink.closeReason == null && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertEquals("peer closed the connection", sink.closeReason, x.file());
            assertEquals(50, sink.audio.size(), x.file());
            short[] own = FixtureDecodingTest.concat(new ArrayList<>(sink.audio), false);
            if (x.leftHz() > 0) {
                double other = x.leftHz() == 440 ? 1000 : 440;
                assertTrue(
                        Goertzel.dominanceDb(own, x.leftHz(), other, x.format().sampleRate()) > 30, x.file());
            }
        }
        assertEquals(0, protocolErrors.get());
        assertEquals(0, rejected.get());
    }

    @Test
    void garbageAfterAValidIdClosesThatTapWithAProtocolError() throws Exception {
        Map<String, byte[]> garbage = new java.util.LinkedHashMap<>();
        garbage.put("unknown message kind 0x42", new byte[] {0x42, 0, 0});
        garbage.put("impossible length 4000 for kind 0x10", new byte[] {0x10, 0x0F, (byte) 0xA0});
        garbage.put(
                "audio kind 0x12 (16000 Hz) on a tap that asked for 8000 Hz",
                AudioSocketWire.message(0x12, new byte[640]));
        garbage.put("second id message", AudioSocketWire.idMessage(UUID.randomUUID()));
        garbage.put("not a whole number of 16-bit samples", AudioSocketWire.message(0x10, new byte[321]));
        for (Map.Entry<String, byte[]> g : garbage.entrySet()) {
            UUID uuid = UUID.randomUUID();
            CollectingSink sink = new CollectingSink(new TapFormat(8000, false));
            issued.put(uuid, sink);
            try (AudioSocketClientSimulator client = AudioSocketClientSimulator.connect("127.0.0.1", port)) {
                client.sendId(uuid);
                client.sendMessage(0x10, new byte[320]);
                client.sendRaw(g.getValue());
                assertTrue(client.awaitServerClose(3, TimeUnit.SECONDS), g.getKey());
            }
            long end = System.currentTimeMillis() + 3000;
            while (sink.closeReason == null && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertTrue(
                    sink.closeReason != null && sink.closeReason.contains(g.getKey()),
                    g.getKey() + " vs " + sink.closeReason);
            assertTrue(sink.protocolError, g.getKey());
            assertEquals(1, sink.audio.size(), "the good frame before the garbage arrived");
        }
        assertEquals(garbage.size(), protocolErrors.get());
    }

    @Test
    void uuidThenCloseIsReportedAsACloseWithoutAudio() throws Exception {
        byte[] bytes = Fixtures.read(Fixtures.MISSING_TARGET);
        UUID uuid = AudioSocketWire.uuid(java.util.Arrays.copyOfRange(bytes, 3, 19));
        CollectingSink sink = new CollectingSink(new TapFormat(8000, false));
        issued.put(uuid, sink);
        try (AudioSocketClientSimulator client = AudioSocketClientSimulator.connect("127.0.0.1", port)) {
            client.sendRaw(bytes);
        }
        long end = System.currentTimeMillis() + 3000;
        while (sink.closeReason == null && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertTrue(sink.connected);
        assertEquals("peer closed the connection", sink.closeReason);
        assertTrue(sink.audio.isEmpty());
    }
}
