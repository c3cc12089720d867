package io.captioner.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.audiosocket.Fixtures;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The AMI events Asterisk 22.10.1 really sent for the captured call (Local channel pairs, four
 * ChanSpy taps made by another client, hangup) are replayed byte for byte to the connector through
 * Asterisk-Java. It must tap exactly the two bridged halves, as caller and agent, ignore the other
 * client's AudioSocket channels, and end the call.
 */
class CapturedAmiReplayTest {

    /** The server's event blocks of the capture, from the first call event on, with CRLF line ends. */
    static List<String> capturedEvents() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        boolean server = false;
        boolean started = false;
        for (String line : Files.readAllLines(Fixtures.dir().resolve("ami_call_and_chanspy_taps_raw.txt"))) {
            if (line.equals("<<SERVER<<") || line.equals(">>CLIENT>>")) {
                server = line.equals("<<SERVER<<");
                block.setLength(0);
                continue;
            }
            if (!server) {
                continue;
            }
            if (line.isEmpty()) {
                if (block.length() > 0) {
                    String text = block.toString();
                    started |= text.startsWith("Event: Newchannel");
                    if (started && text.startsWith("Event:")) {
                        blocks.add(text + "\r\n");
                    }
                    block.setLength(0);
                }
            } else {
                block.append(line).append("\r\n");
            }
        }
        return blocks;
    }

    @Test
    void theCapturedCallIsTappedOnItsTwoBridgedHalves() throws Exception {
        List<String> originates = new CopyOnWriteArrayList<>();
        List<String> events = capturedEvents();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread replay = new Thread(() -> serve(server, events, originates), "captured-ami-replay");
            replay.setDaemon(true);
            replay.start();
            Vertx vertx = Vertx.vertx();
            RecordingListener listener = new RecordingListener();
            AsteriskConnector connector = new AsteriskConnector(
                    vertx,
                    ConnectorSettings.builder()
                            .ami("127.0.0.1", server.getLocalPort(), "tapper", "tapsecret")
                            .audioSocketBind("127.0.0.1", 0)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build(),
                    listener);
            try {
                connector.start().await(10, TimeUnit.SECONDS);
                RecordingListener.await(
                        () -> listener.has("callEnded call-a-1"), 5000, "the call to end: " + listener.events);
                RecordingListener.await(() -> originates.size() >= 2, 3000, "the taps' Originates");
                Thread.sleep(200); // and no more
                assertEquals(2, originates.size(), originates.toString());
                assertTrue(originates.contains("call-a-2,qEuo"), originates.toString());
                assertTrue(originates.contains("1795745791.2,qEuo"), originates.toString());
                CallInfo call = listener.started.get(0);
                assertEquals("call-a-1", call.callId());
                assertTrue(
                        call.channels().stream().noneMatch(c -> c.startsWith("AudioSocket/")),
                        call.channels().toString());
                assertTrue(
                        connector.activeCalls().isEmpty(),
                        connector.activeCalls().toString());
            } finally {
                connector.stop().await(5, TimeUnit.SECONDS);
                vertx.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Answers the login like Asterisk, then plays the captured events; records Originate data. */
    private static void serve(ServerSocket server, List<String> events, List<String> originates) {
        try (Socket s = server.accept()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            write(out, "Asterisk Call Manager/11.0.0\r\n");
            Map<String, String> action = new HashMap<>();
            String challenge = "315989679";
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    action.put(
                            line.substring(0, colon).trim().toLowerCase(),
                            line.substring(colon + 1).trim());
                    continue;
                }
                if (action.isEmpty()) {
                    continue;
                }
                String id = action.get("actionid");
                switch (action.get("action").toLowerCase()) {
                    case "challenge" ->
                        write(out, "Response: Success\r\nActionID: " + id + "\r\nChallenge: " + challenge + "\r\n\r\n");
                    case "login" -> {
                        String key = HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("MD5")
                                        .digest((challenge + "tapsecret").getBytes(StandardCharsets.UTF_8)));
                        if (!key.equals(action.get("key"))) {
                            write(
                                    out,
                                    "Response: Error\r\nActionID: " + id
                                            + "\r\nMessage: Authentication failed\r\n\r\n");
                            return;
                        }
                        write(
                                out,
                                "Response: Success\r\nActionID: " + id + "\r\nMessage: Authentication accepted\r\n\r\n"
                                        + "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 21\r\nLastReload: 21\r\nStatus: Fully Booted\r\n\r\n");
                    }
                    case "coresettings" ->
                        write(
                                out,
                                "Response: Success\r\nActionID: " + id
                                        + "\r\nAMIversion: 11.0.0\r\nAsteriskVersion: 22.10.1\r\n\r\n");
                    case "coreshowchannels" -> {
                        write(
                                out,
                                "Response: Success\r\nActionID: " + id
                                        + "\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n"
                                        + "Event: CoreShowChannelsComplete\r\nActionID: " + id
                                        + "\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
                        for (String event : events) {
                            write(out, event);
                        }
                    }
                    case "originate" -> {
                        originates.add(action.get("data"));
                        write(
                                out,
                                "Response: Success\r\nActionID: " + id
                                        + "\r\nMessage: Originate successfully queued\r\n\r\n");
                    }
                    case "logoff" -> {
                        write(
                                out,
                                "Response: Goodbye\r\nActionID: " + id
                                        + "\r\nMessage: Thanks for all the fish.\r\n\r\n");
                        return;
                    }
                    default ->
                        write(
                                out,
                                "Response: Error\r\nActionID: " + id + "\r\nMessage: Invalid/unknown command\r\n\r\n");
                }
                action.clear();
            }
        } catch (Exception e) {
            // the test's assertions report what went wrong
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
