package io.captioner.service;

import io.captioner.config.Config;
import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.Pacing;
import io.captioner.service.demo.Conversation;
import io.captioner.service.demo.DemoConversations;
import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionConsumer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The real parts the service runs with, on loopback: an embedded KRaft broker, the simulated
 * Asterisk (real AMI + AudioSocket protocols, driven by the real Asterisk-Java client of the
 * connector) and the service itself with the shipped default model.
 */
final class ServiceHarness implements AutoCloseable {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path MODEL = HOME.resolve("models/u2pp-moe-telephony");

    final EmbeddedKafkaBroker broker;
    final FakeAsterisk asterisk;
    final CaptionerApp app;
    final ServiceSettings settings;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    // HTTP/1.1 as the service speaks it (no h2c upgrade attempt); a request that gets no answer fails the
    // test after HTTP_TIMEOUT instead of hanging the suite
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HTTP_TIMEOUT)
            .build();

    ServiceHarness(Pacing pacing, Map<String, String> overrides) throws Exception {
        broker = EmbeddedKafkaBroker.startDefault();
        // Real time, the simulator sends no frames while a party is silent, as Asterisk does. Faster than real
        // time a pause cannot be told from jitter, so an overload run sends every frame (a phone sending comfort
        // noise).
        asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", "harness-secret")
                .withPacing(pacing)
                .withContinuousMedia(pacing != Pacing.REAL_TIME));
        Map<String, String> config = new HashMap<>();
        config.put("ami.port", String.valueOf(asterisk.amiPort()));
        config.put("ami.secret", "harness-secret");
        config.put("audiosocket.port", "0");
        config.put("kafka.bootstrap", broker.bootstrapServers());
        config.put("http.port", "0");
        config.put("model.dir", MODEL.toString());
        config.putAll(overrides);
        settings = ServiceSettings.from(Config.of(config), HOME);
        app = CaptionerApp.start(settings);
    }

    /** Reads the caption topic from the beginning until {@code calls} call-ended events arrived; checks every event against the schema. */
    List<StreamEvent> readUntilCallsEnded(int calls, Duration timeout) {
        return readUntilCallsEnded(broker.bootstrapServers(), settings.kafka().topic(), calls, timeout);
    }

    /** Reads {@code topic} from the beginning until {@code calls} call-ended events arrived, each checked against the schema. */
    static List<StreamEvent> readUntilCallsEnded(String bootstrap, String topic, int calls, Duration timeout) {
        return readUntil(
                bootstrap,
                topic,
                events -> events.stream()
                                .filter(e -> e.eventType() == EventType.CALL_ENDED)
                                .count()
                        >= calls,
                timeout);
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, each event checked against the schema. */
    static List<StreamEvent> readUntil(
            String bootstrap, String topic, Predicate<List<StreamEvent>> done, Duration timeout) {
        List<StreamEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (CaptionConsumer consumer = new CaptionConsumer(bootstrap, List.of(topic), true, Map.of())) {
            while (!done.test(events)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within " + timeout + "; events: " + events.size() + ": " + events);
                }
                for (CaptionConsumer.Received r : consumer.poll(Duration.ofMillis(200))) {
                    List<String> problems = EventSchema.validate(r.json());
                    if (!problems.isEmpty() || r.event() == null) {
                        throw new AssertionError("event not valid against the schema: " + problems + " " + r.problem()
                                + "\n" + r.json());
                    }
                    events.add(r.event());
                }
            }
        }
        return events;
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The first demo call spoken twice over (about 45 s): long enough to kill and restart something in it. */
    static Conversation longCall() {
        Conversation once = DemoConversations.forCall(0);
        List<Conversation.Turn> turns = new ArrayList<>(once.turns());
        turns.addAll(once.turns());
        return new Conversation(once.callerNumber(), once.agentNumber(), turns);
    }

    /** The service as a process of its own ({@code run --config}), its output to {@code log}. */
    static Process startProcess(Path config, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dcaptioner.home=" + ServiceHarness.HOME,
                "io.captioner.service.Main",
                "run",
                "--config",
                config.toString());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CAPTIONER_"));
        return builder.start();
    }

    HttpResponse<String> get(String path) throws Exception {
        return get(app.httpPort(), path, HTTP_TIMEOUT);
    }

    /** A GET to an instance's HTTP port on loopback. */
    static HttpResponse<String> get(int port, String path, Duration timeout) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        try {
            app.close();
        } finally {
            asterisk.close();
            broker.close();
        }
    }
}
