package io.captioner.connector.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Asterisk 22 with the manager interface and ChanSpy-to-AudioSocket taps, exact to
 * the transcripts captured from Asterisk 22.10.1 (greeting {@code Asterisk Call Manager/11.0.0},
 * Challenge/MD5 login, FullyBooted, CoreSettings, call events, CoreShowChannels, Logoff).
 * Calls follow {@link SimulatedCall} scripts. An Originate of
 * {@code AudioSocket/<host>:<port>/<uuid>/c(slin)} running {@code ChanSpy(<uniqueid>,<options>)}
 * connects to that server like Asterisk and streams the spied channel's voice in 20 ms frames. Like
 * Asterisk, a tap sends no frame while the party it spies is silent (ChanSpy's audiohook has nothing to give
 * when the channel produces no media, as behind a phone's silence suppression): once what it spies has been
 * digital silence for {@value #SILENCE_SUPPRESSION_MS} ms, until sound returns; {@link Settings#continuousMedia()}
 * asks for every frame.
 *
 * <p>This class is the simulated PBX (channels, bridges, call scripts, taps); {@link AmiServer} speaks the
 * manager protocol and {@link TapAudio} makes each tap's frames.
 *
 * <p>Threading: all channel state lives on one scheduler thread; each manager client and each tap has its
 * own thread for blocking socket work.
 */
public final class FakeAsterisk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeAsterisk.class);
    /** Digital silence this long ends a party's media until it speaks again (the hangover of a phone's VAD). */
    static final int SILENCE_SUPPRESSION_MS = 200;

    private static final Pattern AUDIOSOCKET_DIAL =
            Pattern.compile("AudioSocket/([^/:]+):(\\d+)/([0-9a-fA-F-]{36})(?:/c\\((\\w+)\\))?");

    /**
     * @param bindHost interface of the manager port (127.0.0.1 in tests)
     * @param amiPort  manager port; 0 picks a free one
     * @param username manager user
     * @param secret   its secret (MD5 challenge login, like Asterisk-Java does)
     * @param pacing   how taps send their frames
     * @param continuousMedia send every frame, silent ones too (a party whose phone sends comfort noise)
     */
    public record Settings(
            String bindHost, int amiPort, String username, String secret, Pacing pacing, boolean continuousMedia) {
        /** Real-time taps that, like Asterisk, send nothing while the party is silent. */
        public static Settings local(String username, String secret) {
            return new Settings("127.0.0.1", 0, username, secret, Pacing.REAL_TIME, false);
        }

        public Settings withPacing(Pacing newPacing) {
            return new Settings(bindHost, amiPort, username, secret, newPacing, continuousMedia);
        }

        public Settings withContinuousMedia(boolean continuous) {
            return new Settings(bindHost, amiPort, username, secret, pacing, continuous);
        }
    }

    /** One Originate of a tap, as the simulator saw it. */
    public record TapRecord(String targetUniqueId, String options, UUID uuid, String codec, long originatedNanos) {}

    private final Settings settings;
    private final ScheduledExecutorService exec;
    private final AmiServer ami;
    private final Map<String, SimChannel> channels = new LinkedHashMap<>();
    private final Map<String, SimulatedCall> scripts = new HashMap<>();
    private final List<TapRecord> taps = new CopyOnWriteArrayList<>();
    private final List<TapStream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final long uniqueBase = System.currentTimeMillis() / 1000;
    private volatile boolean closed;

    private FakeAsterisk(Settings settings) throws IOException {
        this.settings = settings;
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-asterisk"));
        this.ami = new AmiServer(settings, exec, this::pbxAction);
    }

    public static FakeAsterisk start(Settings settings) throws IOException {
        return new FakeAsterisk(settings);
    }

    public int amiPort() {
        return ami.port();
    }

    /** Taps originated so far (retries included). */
    public List<TapRecord> taps() {
        return List.copyOf(taps);
    }

    /** Names of the channels that exist now (taps included). */
    public List<String> channelNames() {
        try {
            return exec.submit(() -> channels.values().stream().map(c -> c.name).toList())
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("simulator did not answer", e);
        }
    }

    /** Manager clients currently logged in. */
    public int loggedInClients() {
        return ami.loggedInClients();
    }

    /** Places a call; its script runs in real time from now. */
    public CallHandle place(SimulatedCall call) {
        CallHandle handle = new CallHandle();
        exec.execute(() -> startCall(call, handle));
        return handle;
    }

    /**
     * Cuts every manager connection and stops listening for {@code outage} (connections are
     * refused, as while Asterisk restarts its manager), and runs {@code duringOutage} on the
     * simulator's thread meanwhile: the events it causes reach no one.
     */
    public void dropManagerConnections(Duration outage, Runnable duringOutage) {
        exec.execute(() -> {
            ami.drop();
            if (duringOutage != null) {
                duringOutage.run();
            }
            exec.schedule(ami::listenAgain, outage.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Ends every tap's AudioSocket connection as a failing tap would (ChanSpyStop, the tap channel hangs up,
     * the socket closes) while the spied channels stay up.
     */
    public void dropTaps() {
        streams.forEach(TapStream::stop);
    }

    /** Hangs up a channel now (scheduler thread), ending its call. For use inside {@link #dropManagerConnections}. */
    public void hangupCallNow(CallHandle call) {
        Runnable r = call.hangup;
        if (r != null) {
            r.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        ami.close();
        for (TapStream s : streams) {
            s.stop();
        }
        exec.shutdownNow();
    }

    /** What a test or the demo can do with a placed call. */
    public static final class CallHandle {
        private final CompletableFuture<String> answered = new CompletableFuture<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile String linkedId;
        private volatile String callerUniqueId;
        private volatile String agentUniqueId;
        private volatile Runnable hangup;

        private CallHandle() {}

        /** Completes with the call id (Linkedid) when the agent answers. */
        public CompletableFuture<String> answered() {
            return answered;
        }

        /** Completes when every channel of the call has hung up. */
        public CompletableFuture<Void> ended() {
            return ended;
        }

        public String linkedId() {
            return linkedId;
        }

        /** Uniqueid of the caller's bridged channel (the one tapped for the caller's voice). */
        public String callerUniqueId() {
            return callerUniqueId;
        }

        /** Uniqueid of the agent's bridged channel. */
        public String agentUniqueId() {
            return agentUniqueId;
        }
    }

    // ---- call scripts (scheduler thread) ----

    private String nextUniqueId() {
        return uniqueBase + "." + sequence.getAndIncrement();
    }

    private String hexSeq() {
        return String.format("%08x", sequence.get());
    }

    private SimChannel newChannel(
            String name, String linkedId, int state, String context, String exten, String uniqueId) {
        String uid = uniqueId != null ? uniqueId : nextUniqueId();
        SimChannel c = new SimChannel(name, uid, linkedId != null ? linkedId : uid, state, context, exten);
        channels.put(uid, c);
        broadcast(AmiMessage.event("Newchannel").add("Privilege", "call,all").channel("", c));
        return c;
    }

    private void setState(SimChannel c, int state) {
        c.state = state;
        broadcast(AmiMessage.event("Newstate").add("Privilege", "call,all").channel("", c));
    }

    private void startCall(SimulatedCall call, CallHandle handle) {
        SimChannel callerBridged;
        SimChannel agentBridged;
        List<SimChannel> all = new ArrayList<>();
        if (call.topology() == SimulatedCall.Topology.PJSIP) {
            SimChannel caller = newChannel(
                    "PJSIP/" + call.callerNumber() + "-" + hexSeq(),
                    null,
                    4,
                    call.callerContext(),
                    call.agentNumber(),
                    null);
            caller.callerNum = call.callerNumber();
            caller.application = "Dial";
            caller.applicationData = "PJSIP/" + call.agentNumber();
            setVariables(caller, call.variables());
            SimChannel agent = newChannel(
                    "PJSIP/" + call.agentNumber() + "-" + hexSeq(), caller.linkedId, 0, call.agentContext(), "s", null);
            agent.callerNum = call.callerNumber();
            agent.connectedNum = call.callerNumber();
            agent.application = "AppDial";
            agent.applicationData = "(Outgoing Line)";
            dialBegin(caller, agent, "PJSIP/" + call.agentNumber());
            setState(agent, 5);
            callerBridged = caller;
            agentBridged = agent;
            all.add(caller);
            all.add(agent);
        } else {
            String cseq = hexSeq();
            SimChannel caller1 = newChannel("Local/caller@test-" + cseq + ";1", null, 0, "test", "caller", null);
            SimChannel caller2 =
                    newChannel("Local/caller@test-" + cseq + ";2", caller1.linkedId, 4, "test", "caller", null);
            caller1.callerNum = call.callerNumber();
            caller2.callerNum = call.callerNumber();
            setState(caller2, 6);
            setState(caller1, 6);
            setVariables(caller2, call.variables());
            caller2.application = "Dial";
            caller2.applicationData = "Local/agent@test/n,,";
            String aseq = hexSeq();
            SimChannel agent1 =
                    newChannel("Local/agent@test-" + aseq + ";1", caller1.linkedId, 0, "test", "agent", null);
            SimChannel agent2 =
                    newChannel("Local/agent@test-" + aseq + ";2", caller1.linkedId, 4, "test", "agent", null);
            agent1.callerNum = call.callerNumber();
            agent2.connectedNum = call.callerNumber();
            agent1.application = "AppDial";
            agent1.applicationData = "(Outgoing Line)";
            dialBegin(caller2, agent1, "agent@test/n");
            callerBridged = caller2;
            agentBridged = agent1;
            all.add(caller1);
            all.add(caller2);
            all.add(agent1);
            all.add(agent2);
        }
        scripts.put(callerBridged.uniqueId, call);
        scripts.put(agentBridged.uniqueId, call);
        handle.linkedId = callerBridged.linkedId;
        handle.callerUniqueId = callerBridged.uniqueId;
        handle.agentUniqueId = agentBridged.uniqueId;
        handle.hangup = () -> hangupCall(all, handle);
        exec.schedule(
                () -> answer(call, handle, all, callerBridged, agentBridged),
                call.answerAfterMs(),
                TimeUnit.MILLISECONDS);
    }

    private void setVariables(SimChannel c, Map<String, String> variables) {
        c.variables.putAll(variables);
        variables.forEach((k, v) -> broadcast(AmiMessage.event("VarSet")
                .add("Privilege", "dialplan,all")
                .channel("", c)
                .add("Variable", k)
                .add("Value", v)));
    }

    private void dialBegin(SimChannel from, SimChannel to, String dialString) {
        broadcast(AmiMessage.event("DialBegin")
                .add("Privilege", "call,all")
                .channel("", from)
                .channel("Dest", to)
                .add("DialString", dialString));
    }

    private void answer(
            SimulatedCall call, CallHandle handle, List<SimChannel> all, SimChannel caller, SimChannel agent) {
        for (SimChannel c : all) {
            if (c.state != 6) {
                setState(c, 6);
            }
        }
        caller.connectedNum = call.agentNumber();
        broadcast(AmiMessage.event("DialEnd")
                .add("Privilege", "call,all")
                .channel("", caller)
                .channel("Dest", agent)
                .add("DialStatus", "ANSWER"));
        SimBridge bridge = new SimBridge(UUID.randomUUID().toString());
        broadcast(AmiMessage.event("BridgeCreate").add("Privilege", "call,all").bridge(bridge));
        enterBridge(bridge, agent);
        enterBridge(bridge, caller);
        long now = System.nanoTime();
        caller.voice = call.callerAudio().at(8000);
        caller.voiceStartNanos = now + call.callerSpeechAtMs() * 1_000_000L;
        agent.voice = call.agentAudio().at(8000);
        agent.voiceStartNanos = now + call.agentSpeechAtMs() * 1_000_000L;
        handle.answered.complete(caller.linkedId);
        for (SimulatedCall.Hold h : call.holds()) {
            exec.schedule(() -> holdEvent(caller, "Hold"), h.atMs(), TimeUnit.MILLISECONDS);
            exec.schedule(() -> holdEvent(caller, "Unhold"), h.atMs() + h.durationMs(), TimeUnit.MILLISECONDS);
        }
        for (SimulatedCall.Dtmf d : call.dtmf()) {
            exec.schedule(() -> dtmf(caller, d.digit()), d.atMs(), TimeUnit.MILLISECONDS);
        }
        if (call.transfer() != null) {
            exec.schedule(
                    () -> transfer(call, all, bridge, agent, handle),
                    call.transfer().atMs(),
                    TimeUnit.MILLISECONDS);
        }
        exec.schedule(() -> hangupCall(all, handle), call.effectiveHangupAtMs(), TimeUnit.MILLISECONDS);
    }

    private void enterBridge(SimBridge bridge, SimChannel c) {
        bridge.members.add(c);
        c.bridge = bridge;
        broadcast(AmiMessage.event("BridgeEnter")
                .add("Privilege", "call,all")
                .bridge(bridge)
                .channel("", c));
    }

    private void leaveBridge(SimChannel c) {
        SimBridge bridge = c.bridge;
        if (bridge == null) {
            return;
        }
        bridge.members.remove(c);
        c.bridge = null;
        broadcast(AmiMessage.event("BridgeLeave")
                .add("Privilege", "call,all")
                .bridge(bridge)
                .channel("", c));
        if (bridge.members.isEmpty()) {
            broadcast(AmiMessage.event("BridgeDestroy")
                    .add("Privilege", "call,all")
                    .bridge(bridge));
        }
    }

    private void holdEvent(SimChannel c, String event) {
        if (!c.alive) {
            return;
        }
        AmiMessage m = AmiMessage.event(event).add("Privilege", "call,all").channel("", c);
        if (event.equals("Hold")) {
            m.add("MusicClass", "default");
        }
        broadcast(m);
    }

    private void dtmf(SimChannel c, char digit) {
        if (!c.alive) {
            return;
        }
        broadcast(AmiMessage.event("DTMFBegin")
                .add("Privilege", "dtmf,all")
                .channel("", c)
                .add("Digit", digit)
                .add("Direction", "Received"));
        broadcast(AmiMessage.event("DTMFEnd")
                .add("Privilege", "dtmf,all")
                .channel("", c)
                .add("Digit", digit)
                .add("DurationMs", 120)
                .add("Direction", "Received"));
    }

    private void transfer(
            SimulatedCall call, List<SimChannel> all, SimBridge bridge, SimChannel oldAgent, CallHandle handle) {
        if (!oldAgent.alive) {
            return;
        }
        SimulatedCall.Transfer t = call.transfer();
        leaveBridge(oldAgent);
        hangupChannel(oldAgent, 16, "Normal Clearing");
        SimChannel agent = newChannel(
                "PJSIP/" + t.newAgentNumber() + "-" + hexSeq(), oldAgent.linkedId, 0, call.agentContext(), "s", null);
        agent.callerNum = call.callerNumber();
        agent.connectedNum = call.callerNumber();
        setState(agent, 6);
        all.add(agent);
        scripts.put(agent.uniqueId, call);
        agent.voice = t.newAgentAudio().at(8000);
        agent.voiceStartNanos = System.nanoTime() + t.speechAfterMs() * 1_000_000L;
        enterBridge(bridge, agent);
        handle.agentUniqueId = agent.uniqueId;
    }

    private void hangupCall(List<SimChannel> all, CallHandle handle) {
        for (SimChannel c : List.copyOf(all)) {
            if (c.alive) {
                leaveBridge(c);
                hangupChannel(c, 16, "Normal Clearing");
            }
        }
        handle.ended.complete(null);
    }

    private void hangupChannel(SimChannel c, int cause, String causeText) {
        if (!c.alive) {
            return;
        }
        c.alive = false;
        for (TapStream s : streams) {
            if (s.target == c) {
                s.stopFromAsterisk();
            }
        }
        channels.remove(c.uniqueId);
        broadcast(AmiMessage.event("Hangup")
                .add("Privilege", "call,all")
                .channel("", c)
                .add("Cause", cause)
                .add("Cause-txt", causeText));
    }

    // ---- taps ----

    private void originate(AmiServer.Client client, Map<String, String> action) {
        String actionId = action.get("actionid");
        String dial = action.getOrDefault("channel", "");
        Matcher m = AUDIOSOCKET_DIAL.matcher(dial);
        String application = action.getOrDefault("application", "");
        if (!m.matches() || !application.equalsIgnoreCase("ChanSpy")) {
            client.send(AmiMessage.response("Error", actionId)
                    .add("Message", "This simulator originates only AudioSocket channels running ChanSpy"));
            return;
        }
        client.send(AmiMessage.response("Success", actionId).add("Message", "Originate successfully queued"));
        String host = m.group(1);
        int port = Integer.parseInt(m.group(2));
        UUID uuid = UUID.fromString(m.group(3));
        String codec = m.group(4) == null ? "slin" : m.group(4).toLowerCase(Locale.ROOT);
        String data = action.getOrDefault("data", "");
        String[] parts = data.split(",", 2);
        String target = parts[0];
        String options = parts.length > 1 ? parts[1] : "";
        taps.add(new TapRecord(target, options, uuid, codec, System.nanoTime()));
        String tapName = "AudioSocket/" + host + ":" + port + "-" + uuid;
        String channelId = action.get("channelid");
        SimChannel tap = newChannel(tapName, null, 0, "default", "s", channelId);
        broadcast(AmiMessage.event("VarSet")
                .add("Privilege", "dialplan,all")
                .channel("", tap)
                .add("Variable", "AUDIOSOCKET_UUID")
                .add("Value", uuid));
        broadcast(AmiMessage.event("VarSet")
                .add("Privilege", "dialplan,all")
                .channel("", tap)
                .add("Variable", "AUDIOSOCKET_SERVICE")
                .add("Value", host + ":" + port));
        broadcast(AmiMessage.event("DialBegin")
                .add("Privilege", "call,all")
                .channel("Dest", tap)
                .add("DialString", dial.substring("AudioSocket/".length())));
        SimChannel spyee = channels.get(target);
        SimulatedCall script = scripts.get(target);
        SimulatedCall.TapFailure failure = null;
        if (spyee != null && script != null) {
            int attempt = spyee.tapAttempts++;
            if (attempt < script.tapFailures().size()) {
                failure = script.tapFailures().get(attempt);
            }
        }
        TapStream stream = new TapStream(
                client,
                actionId,
                tap,
                spyee,
                host,
                port,
                uuid,
                codec,
                options,
                failure,
                script == null ? SimulatedCall.TapCodec.AS_REQUESTED : script.tapCodec(),
                application,
                data);
        streams.add(stream);
        daemon(stream::run, "fake-asterisk-tap-" + uuid.toString().substring(0, 8))
                .start();
    }

    private void originateResult(TapStream s, boolean success) {
        if (success) {
            setState(s.tap, 6);
            broadcast(AmiMessage.event("DialEnd")
                    .add("Privilege", "call,all")
                    .channel("Dest", s.tap)
                    .add("DialStatus", "ANSWER"));
        } else {
            broadcast(AmiMessage.event("DialEnd")
                    .add("Privilege", "call,all")
                    .channel("Dest", s.tap)
                    .add("DialStatus", "CHANUNAVAIL"));
        }
        AmiMessage r = AmiMessage.event("OriginateResponse")
                .add("Privilege", "call,all")
                .add("ActionID", s.actionId)
                .add("Response", success ? "Success" : "Failure")
                .add("Channel", s.tap.name)
                .add("Application", s.application)
                .add("Data", s.data)
                .add("Reason", success ? 4 : 8)
                .add("Uniqueid", success ? s.tap.uniqueId : "<null>")
                .add("CallerIDNum", "<unknown>")
                .add("CallerIDName", "<unknown>");
        broadcast(r);
        if (!success) {
            hangupChannel(s.tap, 0, "Unknown");
        }
    }

    private void spyStarted(TapStream s) {
        broadcast(AmiMessage.event("ChanSpyStart")
                .add("Privilege", "call,all")
                .channel("Spyer", s.tap)
                .channel("Spyee", s.target));
    }

    private void tapEnded(TapStream s, boolean spying) {
        if (spying && s.target != null) {
            broadcast(AmiMessage.event("ChanSpyStop")
                    .add("Privilege", "call,all")
                    .channel("Spyer", s.tap)
                    .channel("Spyee", s.target));
        }
        hangupChannel(s.tap, 0, "Unknown");
        streams.remove(s);
    }

    /** One ChanSpy → AudioSocket tap: connects, sends the UUID, streams 20 ms frames until told to stop. */
    private final class TapStream {
        final AmiServer.Client client;
        final String actionId;
        final SimChannel tap;
        final SimChannel target;
        final String host;
        final int port;
        final UUID uuid;
        final String codec;
        final String options;
        final SimulatedCall.TapFailure failure;
        final SimulatedCall.TapCodec tapCodec;
        final String application;
        final String data;
        volatile boolean stopped;
        volatile AudioSocketClientSimulator socket;

        TapStream(
                AmiServer.Client client,
                String actionId,
                SimChannel tap,
                SimChannel target,
                String host,
                int port,
                UUID uuid,
                String codec,
                String options,
                SimulatedCall.TapFailure failure,
                SimulatedCall.TapCodec tapCodec,
                String application,
                String data) {
            this.client = client;
            this.actionId = actionId;
            this.tap = tap;
            this.target = target;
            this.host = host;
            this.port = port;
            this.uuid = uuid;
            this.codec = codec;
            this.options = options;
            this.failure = failure;
            this.tapCodec = tapCodec;
            this.application = application;
            this.data = data;
        }

        void stop() {
            stopped = true;
            AudioSocketClientSimulator s = socket;
            if (s != null) {
                s.close();
            }
        }

        /** The spied channel hung up: ChanSpy (option E) ends and Asterisk closes the socket. */
        void stopFromAsterisk() {
            stopped = true;
        }

        void run() {
            if (failure == SimulatedCall.TapFailure.ORIGINATE_FAILURE) {
                exec.execute(() -> {
                    originateResult(this, false);
                    streams.remove(this);
                });
                return;
            }
            try {
                socket = AudioSocketClientSimulator.connect(host, port);
                socket.sendId(uuid);
            } catch (IOException e) {
                log.info("tap {}: cannot reach AudioSocket server {}:{}: {}", uuid, host, port, e.getMessage());
                exec.execute(() -> {
                    originateResult(this, false);
                    streams.remove(this);
                });
                return;
            }
            boolean spying = target != null && target.alive && failure != SimulatedCall.TapFailure.UUID_THEN_CLOSE;
            // NO_AUDIO: a connection with no ChanSpy behind it (a dead tap), not a silent party
            boolean announced = spying && failure != SimulatedCall.TapFailure.NO_AUDIO;
            exec.execute(() -> {
                originateResult(this, true);
                if (announced) {
                    spyStarted(this);
                }
            });
            try {
                if (spying && failure != SimulatedCall.TapFailure.NO_AUDIO) {
                    streamAudio();
                } else if (spying) {
                    while (!stopped && !socket.hangupReceived()) {
                        Thread.sleep(20);
                    }
                }
            } catch (IOException e) {
                log.debug("tap {}: connection ended: {}", uuid, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                socket.close();
                if (!closed) {
                    exec.execute(() -> tapEnded(this, announced));
                }
            }
        }

        private void streamAudio() throws IOException {
            TapAudio audio =
                    new TapAudio(target, codec, options, tapCodec, settings.continuousMedia(), System.nanoTime());
            socket.stream(audio.kind(), audio::nextFrame, settings.pacing(), () -> !stopped);
        }
    }

    // ---- the PBX's manager actions (scheduler thread) ----

    private boolean pbxAction(AmiServer.Client client, String name, Map<String, String> action, String actionId) {
        switch (name) {
            case "originate" -> originate(client, action);
            case "coreshowchannels" -> coreShowChannels(client, actionId);
            case "getvar" -> getVar(client, action, actionId);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void broadcast(AmiMessage m) {
        ami.broadcast(m);
    }

    // ---- manager interface ----

    private void coreShowChannels(AmiServer.Client client, String actionId) {
        client.send(AmiMessage.response("Success", actionId)
                .add("EventList", "start")
                .add("Message", "Channels will follow"));
        int n = 0;
        long now = System.nanoTime();
        for (SimChannel c : channels.values()) {
            long seconds = (now - c.createdNanos) / 1_000_000_000L;
            client.send(AmiMessage.event("CoreShowChannel")
                    .add("ActionID", actionId)
                    .channel("", c)
                    .add("Application", c.application)
                    .add("ApplicationData", c.applicationData)
                    .add("Duration", String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))
                    .add("BridgeId", c.bridge == null ? "" : c.bridge.id));
            n++;
        }
        client.send(AmiMessage.event("CoreShowChannelsComplete")
                .add("ActionID", actionId)
                .add("EventList", "Complete")
                .add("ListItems", n));
    }

    private void getVar(AmiServer.Client client, Map<String, String> action, String actionId) {
        String name = action.getOrDefault("channel", "");
        String variable = action.getOrDefault("variable", "");
        SimChannel channel = channels.values().stream()
                .filter(c -> c.name.equals(name))
                .findFirst()
                .orElse(null);
        if (channel == null) {
            client.send(AmiMessage.response("Error", actionId).add("Message", "No such channel"));
            return;
        }
        client.send(AmiMessage.response("Success", actionId)
                .add("Variable", variable)
                .add("Value", channel.variables.getOrDefault(variable, "")));
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
