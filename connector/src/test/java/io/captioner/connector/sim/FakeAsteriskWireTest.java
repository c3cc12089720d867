package io.captioner.connector.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.AsteriskConnector;
import io.captioner.connector.CallListener;
import io.captioner.connector.ConnectorSettings;
import io.captioner.connector.audiosocket.Fixtures;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulator's manager interface, read by a raw TCP client, has the same messages with the same
 * fields in the same order as the transcripts captured from Asterisk 22.10.1.
 */
class FakeAsteriskWireTest {

    /** Blocks the server sent in a captured transcript. */
    static List<LinkedHashMap<String, String>> serverBlocks(String fixture) throws IOException {
        List<LinkedHashMap<String, String>> blocks = new ArrayList<>();
        boolean server = false;
        LinkedHashMap<String, String> block = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Fixtures.dir().resolve(fixture))) {
            if (line.equals("<<SERVER<<") || line.equals(">>CLIENT>>")) {
                if (!block.isEmpty() && server) {
                    blocks.add(block);
                }
                block = new LinkedHashMap<>();
                server = line.equals("<<SERVER<<");
                continue;
            }
            if (line.isEmpty()) {
                if (!block.isEmpty() && server) {
                    blocks.add(block);
                }
                block = new LinkedHashMap<>();
            } else if (line.contains(": ") || line.endsWith(":")) {
                int colon = line.indexOf(':');
                block.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        if (!block.isEmpty() && server) {
            blocks.add(block);
        }
        return blocks;
    }

    static String kind(Map<String, String> block) {
        return block.containsKey("Event") ? "Event:" + block.get("Event") : "Response";
    }

    /** Every field layout each event has in the captures. */
    static Map<String, Set<List<String>>> layouts() throws IOException {
        Map<String, Set<List<String>>> layouts = new HashMap<>();
        for (String f : List.of("ami_call_and_chanspy_taps_raw.txt", "ami_asteriskjava_3.42.2_wire.txt")) {
            for (LinkedHashMap<String, String> b : serverBlocks(f)) {
                layouts.computeIfAbsent(kind(b), k -> new HashSet<>()).add(List.copyOf(b.keySet()));
            }
        }
        return layouts;
    }

    /** A manager client that speaks raw text. */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String greeting;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            greeting = in.readLine();
        }

        void send(String... lines) throws IOException {
            out.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        LinkedHashMap<String, String> read() throws IOException {
            LinkedHashMap<String, String> block = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!block.isEmpty()) {
                        return block;
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                block.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
            return block.isEmpty() ? null : block;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void loginCoreSettingsAndLogoffMatchTheCapture() throws Exception {
        Map<String, Set<List<String>>> layouts = layouts();
        try (FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("tapper", "tapsecret"));
                RawClient client = new RawClient(asterisk.amiPort())) {
            assertEquals("Asterisk Call Manager/11.0.0", client.greeting);
            client.send("action: Challenge", "actionid: 1_0#", "authtype: MD5");
            LinkedHashMap<String, String> challenge = client.read();
            assertEquals(List.of("Response", "ActionID", "Challenge"), List.copyOf(challenge.keySet()));
            assertEquals("1_0#", challenge.get("ActionID"));
            String key = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest((challenge.get("Challenge") + "tapsecret").getBytes(StandardCharsets.UTF_8)));
            client.send("action: Login", "actionid: 1_1#", "key: " + key, "username: tapper", "authtype: MD5");
            LinkedHashMap<String, String> login = client.read();
            assertEquals("Authentication accepted", login.get("Message"));
            assertTrue(layouts.get("Response").contains(List.copyOf(login.keySet())));
            LinkedHashMap<String, String> booted = client.read();
            assertEquals("Fully Booted", booted.get("Status"));
            assertTrue(layouts.get("Event:FullyBooted").contains(List.copyOf(booted.keySet())), booted.toString());
            client.send("action: CoreSettings", "actionid: 1_2#");
            LinkedHashMap<String, String> settings = client.read();
            LinkedHashMap<String, String> captured = serverBlocks("ami_asteriskjava_3.42.2_wire.txt").stream()
                    .filter(b -> "2021707251_2#".equals(b.get("ActionID")))
                    .findFirst()
                    .orElseThrow();
            captured.put("ActionID", "1_2#");
            assertEquals(captured, settings);
            client.send("action: Logoff", "actionid: 1_3#");
            LinkedHashMap<String, String> bye = client.read();
            assertEquals("Goodbye", bye.get("Response"));
            assertEquals("Thanks for all the fish.", bye.get("Message"));
        }
    }

    @Test
    void callTapAndChannelListEventsHaveTheCapturedLayouts() throws Exception {
        Map<String, Set<List<String>>> layouts = layouts();
        Vertx vertx = Vertx.vertx();
        try (FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("tapper", "tapsecret"));
                RawClient client = new RawClient(asterisk.amiPort())) {
            client.send("Action: Login", "ActionID: v1", "Username: tapper", "Secret: tapsecret");
            client.read();
            client.read();
            AsteriskConnector connector = new AsteriskConnector(
                    vertx,
                    ConnectorSettings.builder()
                            .ami("127.0.0.1", asterisk.amiPort(), "tapper", "tapsecret")
                            .audioSocketBind("127.0.0.1", 0)
                            .build(),
                    new CallListener() {});
            connector.start().await(10, TimeUnit.SECONDS);
            FakeAsterisk.CallHandle call =
                    asterisk.place(SimulatedCall.builder(PartyAudio.tone(440, 600), PartyAudio.tone(1000, 600))
                            .topology(SimulatedCall.Topology.LOCAL)
                            .build());
            call.answered().get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            client.send("Action: CoreShowChannels", "ActionID: v2");
            Set<String> seen = new HashSet<>();
            long end = System.currentTimeMillis() + 8000;
            while (System.currentTimeMillis() < end && !seen.contains("Event:ChanSpyStop")) {
                LinkedHashMap<String, String> block = client.read();
                String kind = kind(block);
                seen.add(kind);
                Set<List<String>> known = layouts.get(kind);
                if (known != null) {
                    assertTrue(
                            known.contains(List.copyOf(block.keySet())),
                            kind + " has fields " + block.keySet() + ", the capture has " + known);
                }
            }
            connector.stop().await(5, TimeUnit.SECONDS);
            assertTrue(
                    seen.containsAll(List.of(
                            "Event:Newchannel",
                            "Event:Newstate",
                            "Event:DialBegin",
                            "Event:DialEnd",
                            "Event:BridgeCreate",
                            "Event:BridgeEnter",
                            "Event:BridgeLeave",
                            "Event:Hangup",
                            "Event:VarSet",
                            "Event:OriginateResponse",
                            "Event:ChanSpyStart",
                            "Event:ChanSpyStop",
                            "Event:CoreShowChannel",
                            "Event:CoreShowChannelsComplete")),
                    seen.toString());
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }
}
