package io.captioner.connector.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager interface of {@link FakeAsterisk}, as Asterisk 22.10.1 speaks it: the greeting, Challenge/MD5
 * (or plain) login with FullyBooted, Logoff, Ping, CoreSettings, "Authentication Required" before login and
 * the error for an unknown action. Every other action goes to the simulated PBX.
 *
 * <p>Threading: one thread accepts connections and one reads each client; actions run on the simulator's
 * scheduler thread, in the order each client sent them. Writes to a client are serialised.
 */
final class AmiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiServer.class);

    /** The actions of the simulated PBX (Originate, CoreShowChannels, GetVar), on the scheduler thread. */
    interface PbxActions {
        /** Answers the action {@code name} (lower case) of a logged-in client; false if it does not know it. */
        boolean handle(Client client, String name, Map<String, String> action, String actionId);
    }

    private final FakeAsterisk.Settings settings;
    private final Executor scheduler;
    private final PbxActions pbx;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final long bootMillis = System.currentTimeMillis();
    private final int port;
    private volatile ServerSocket server;
    private volatile boolean closed;

    AmiServer(FakeAsterisk.Settings settings, Executor scheduler, PbxActions pbx) throws IOException {
        this.settings = settings;
        this.scheduler = scheduler;
        this.pbx = pbx;
        this.server = bind(settings.amiPort());
        this.port = server.getLocalPort();
        listen(server);
    }

    int port() {
        return port;
    }

    int loggedInClients() {
        return (int) clients.stream().filter(c -> c.loggedIn).count();
    }

    /** Sends an event to every logged-in client. */
    void broadcast(AmiMessage m) {
        byte[] bytes = m.bytes();
        for (Client c : clients) {
            if (c.loggedIn) {
                c.write(bytes);
            }
        }
    }

    /** Cuts every connection and refuses new ones until {@link #listenAgain()}, as while Asterisk restarts its manager. */
    void drop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // listens again later
        }
        for (Client c : clients) {
            c.close();
        }
        clients.clear();
    }

    void listenAgain() {
        if (closed) {
            return;
        }
        try {
            ServerSocket s = bind(port);
            server = s;
            listen(s);
        } catch (IOException e) {
            log.warn("cannot listen again on manager port {}: {}", port, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        drop();
    }

    private ServerSocket bind(int p) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(settings.bindHost()), p));
        return s;
    }

    private void listen(ServerSocket listening) {
        FakeAsterisk.daemon(() -> acceptLoop(listening), "fake-asterisk-ami-accept")
                .start();
    }

    private void acceptLoop(ServerSocket listening) {
        while (!closed && !listening.isClosed()) {
            try {
                Socket s = listening.accept();
                Client c = new Client(s);
                clients.add(c);
                FakeAsterisk.daemon(c::run, "fake-asterisk-ami-client").start();
            } catch (IOException e) {
                if (!closed && !listening.isClosed()) {
                    log.warn("AMI accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void handleAction(Client client, Map<String, String> action) {
        String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
        String actionId = action.get("actionid");
        switch (name) {
            case "challenge" -> {
                client.challenge = String.valueOf(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
                client.send(AmiMessage.response("Success", actionId).add("Challenge", client.challenge));
            }
            case "login" -> login(client, action, actionId);
            case "logoff" -> {
                client.send(AmiMessage.response("Goodbye", actionId).add("Message", "Thanks for all the fish."));
                client.close();
            }
            case "coresettings" ->
                whenLoggedIn(
                        client,
                        actionId,
                        () -> client.send(AmiMessage.response("Success", actionId)
                                .add("AMIversion", "11.0.0")
                                .add("AsteriskVersion", "22.10.1")
                                .add("SystemName", "")
                                .add("CoreMaxCalls", 50)
                                .add("CoreMaxLoadAvg", "0.000000")
                                .add("CoreRunUser", "")
                                .add("CoreRunGroup", "")
                                .add("CoreMaxFilehandles", 0)
                                .add("CoreRealTimeEnabled", "No")
                                .add("CoreCDRenabled", "Yes")
                                .add("CoreHTTPenabled", "No")
                                .add("SoundsSearchCustomDir", "No")));
            case "ping" ->
                whenLoggedIn(
                        client,
                        actionId,
                        () -> client.send(AmiMessage.response("Success", actionId)
                                .add("Ping", "Pong")
                                .add(
                                        "Timestamp",
                                        String.format(Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0))));
            default ->
                whenLoggedIn(client, actionId, () -> {
                    if (!pbx.handle(client, name, action, actionId)) {
                        client.send(AmiMessage.response("Error", actionId)
                                .add(
                                        "Message",
                                        "Invalid/unknown command: " + action.get("action")
                                                + ". Use Action: ListCommands to show available commands."));
                    }
                });
        }
    }

    private static void whenLoggedIn(Client client, String actionId, Runnable answer) {
        if (client.loggedIn) {
            answer.run();
        } else {
            client.send(AmiMessage.response("Error", actionId).add("Message", "Authentication Required"));
            client.close();
        }
    }

    private void login(Client client, Map<String, String> action, String actionId) {
        boolean userOk = settings.username().equals(action.get("username"));
        boolean keyOk = client.challenge != null
                && md5(client.challenge + settings.secret()).equalsIgnoreCase(action.getOrDefault("key", ""));
        boolean plainOk = settings.secret().equals(action.get("secret"));
        if (userOk && (keyOk || plainOk)) {
            client.send(AmiMessage.response("Success", actionId).add("Message", "Authentication accepted"));
            client.loggedIn = true;
            long uptime = (System.currentTimeMillis() - bootMillis) / 1000;
            client.send(AmiMessage.event("FullyBooted")
                    .add("Privilege", "system,all")
                    .add("Uptime", uptime)
                    .add("LastReload", uptime)
                    .add("Status", "Fully Booted"));
        } else {
            client.send(AmiMessage.response("Error", actionId).add("Message", "Authentication failed"));
            client.close();
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One manager connection. */
    final class Client {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean loggedIn;
        private String challenge;

        private Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        private void run() {
            write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.UTF_8));
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                Map<String, String> action = new HashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!action.isEmpty()) {
                            Map<String, String> complete = action;
                            scheduler.execute(() -> handleAction(this, complete));
                            action = new HashMap<>();
                        }
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        action.put(
                                line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).trim());
                    }
                }
            } catch (IOException e) {
                log.debug("AMI client gone: {}", e.getMessage());
            } finally {
                close();
            }
        }

        void send(AmiMessage m) {
            write(m.bytes());
        }

        private void write(byte[] bytes) {
            synchronized (out) {
                try {
                    out.write(bytes);
                    out.flush();
                } catch (IOException e) {
                    close();
                }
            }
        }

        private void close() {
            loggedIn = false;
            clients.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
