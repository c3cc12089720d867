package io.captioner.service.demo;

import io.captioner.asr.cli.TranscribeCommand;
import io.captioner.config.Config;
import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.connector.sim.PartyAudio;
import io.captioner.connector.sim.SimulatedCall;
import io.captioner.service.CaptionerApp;
import io.captioner.service.ServiceSettings;
import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.EventType;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.tools.CaptionRenderer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./captioner demo}: the whole product on one machine. An in-process Kafka broker, a
 * simulated Asterisk whose calls play synthesized customer and agent voices through the real AMI and
 * AudioSocket protocols, the service with the shipped model, and the live page; captions are read
 * back from Kafka and printed.
 */
@Command(
        name = "demo",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "Everything embedded: simulated calls -> recognition -> in-process Kafka -> captions.",
            "",
            "Starts an in-process Kafka broker, a simulated Asterisk and the captioning service, then places calls in"
                    + " which a customer and an agent speak (espeak-ng and flite voices). Every caption is read back"
                    + " from Kafka and printed: partials (~) as they change, finals (=) when an utterance ends. The"
                    + " live caption page is at http://127.0.0.1:P/."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--calls",
            paramLabel = "N",
            description = "exit 0 once N calls have ended and their finals arrived (default: run until stopped)")
    private int calls;

    @Option(
            names = "--concurrent",
            paramLabel = "K",
            description = "calls in progress at once (default ${DEFAULT-VALUE})")
    private int concurrent = 2;

    @Option(
            names = "--http-port",
            paramLabel = "P",
            description = "port of the live page and the API (default ${DEFAULT-VALUE}; 0 = any free port)")
    private int httpPort = 8080;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (default ${DEFAULT-VALUE})")
    private String model = TranscribeCommand.DEFAULT_MODEL;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (calls < 0) {
            throw new ParameterException(spec.commandLine(), "--calls must be at least 0, got " + calls);
        }
        if (concurrent < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrent must be at least 1, got " + concurrent);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--http-port must lie in 0-65535, got " + httpPort);
        }
        Path home = Path.of(System.getProperty("captioner.home", "."))
                .toAbsolutePath()
                .normalize();
        Path modelDir = home.resolve(model);
        if (!Files.isRegularFile(modelDir.resolve("encoder.onnx"))) {
            err.println("no model at " + modelDir + " (train one with training/run.sh, or pass --model DIR)");
            return 2;
        }
        try {
            return demo(home, modelDir);
        } catch (Exception e) {
            err.println("demo failed: " + e);
            return 1;
        }
    }

    private int demo(Path home, Path modelDir) throws Exception {
        Path work = Files.createTempDirectory("captioner-demo");
        String secret = UUID.randomUUID().toString();
        err.println("starting the embedded Kafka broker, the simulated Asterisk and the service...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
                FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", secret))) {
            Map<String, String> config = new HashMap<>();
            config.put("ami.port", String.valueOf(asterisk.amiPort()));
            config.put("ami.username", "captioner");
            config.put("ami.secret", secret);
            config.put("audiosocket.port", "0");
            config.put("kafka.bootstrap", broker.bootstrapServers());
            config.put("http.port", String.valueOf(httpPort));
            config.put("model.dir", modelDir.toString());
            ServiceSettings settings = ServiceSettings.from(Config.of(config), home);
            try (CaptionerApp app = CaptionerApp.start(settings)) {
                err.println("live captions: http://127.0.0.1:" + app.httpPort() + "/");
                AtomicInteger callsEnded = new AtomicInteger();
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader =
                        startReader(broker.bootstrapServers(), settings.kafka().topic(), out, callsEnded, reading);
                placeCalls(asterisk, new SpeechSynthesizer(work), callsEnded);
                reading.set(false);
                reader.join(5_000);
            }
            err.println("demo finished: " + calls + " calls captioned");
            return 0;
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Reads every event back from Kafka and prints it as a person wants to read captions. */
    private static Thread startReader(
            String bootstrap, String topic, PrintStream out, AtomicInteger callsEnded, AtomicBoolean reading) {
        Thread reader = new Thread(
                () -> {
                    CaptionRenderer renderer = new CaptionRenderer(out, false, false, true);
                    try (CaptionConsumer consumer = openWhenTopicExists(bootstrap, topic)) {
                        while (reading.get()) {
                            for (CaptionConsumer.Received r : consumer.poll(Duration.ofMillis(200))) {
                                if (r.event() != null) {
                                    renderer.show(r.event(), r.json());
                                    if (r.event().eventType() == EventType.CALL_ENDED) {
                                        callsEnded.incrementAndGet();
                                    }
                                }
                            }
                        }
                    } catch (InterruptException e) {
                        // the demo is stopping
                    }
                },
                "demo-caption-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static CaptionConsumer openWhenTopicExists(String bootstrap, String topic) {
        for (int attempt = 0; ; attempt++) {
            try {
                return new CaptionConsumer(bootstrap, List.of(topic), true, Map.of());
            } catch (IllegalArgumentException e) {
                if (attempt > 100) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    throw new InterruptException(ie);
                }
            }
        }
    }

    private void placeCalls(FakeAsterisk asterisk, SpeechSynthesizer tts, AtomicInteger callsEnded) throws Exception {
        Map<Integer, SimulatedCall> rendered = new HashMap<>();
        List<CompletableFuture<Void>> inProgress = new ArrayList<>();
        int placed = 0;
        while (calls == 0 || placed < calls) {
            inProgress.removeIf(CompletableFuture::isDone);
            if (inProgress.size() >= concurrent) {
                CompletableFuture.anyOf(inProgress.toArray(CompletableFuture[]::new))
                        .get();
                continue;
            }
            int index = placed % DemoConversations.ALL.size();
            SimulatedCall call = rendered.computeIfAbsent(index, i -> simulatedCall(DemoConversations.forCall(i), tts));
            err.println("placing call " + (placed + 1) + ": " + call.callerNumber() + " -> " + call.agentNumber());
            inProgress.add(asterisk.place(call).ended());
            placed++;
            Thread.sleep(1_500);
        }
        CompletableFuture.allOf(inProgress.toArray(CompletableFuture[]::new)).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (callsEnded.get() < calls && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (callsEnded.get() < calls) {
            throw new IllegalStateException("only " + callsEnded.get() + " of " + calls
                    + " calls reached their call-ended event in Kafka within 60 s of hanging up");
        }
    }

    public static SimulatedCall simulatedCall(Conversation conversation, SpeechSynthesizer tts) {
        return simulatedCall(conversation, audio(conversation, tts));
    }

    /** The call's two tracks in the demo's voices. */
    public static ConversationAudio audio(Conversation conversation, SpeechSynthesizer tts) {
        return ConversationAudio.render(conversation, tts, DemoVoices.CALLER, DemoVoices.AGENT);
    }

    public static SimulatedCall simulatedCall(Conversation conversation, ConversationAudio audio) {
        return SimulatedCall.builder(
                        new PartyAudio(SpeechSynthesizer.SAMPLE_RATE, audio.caller()),
                        new PartyAudio(SpeechSynthesizer.SAMPLE_RATE, audio.agent()))
                .numbers(conversation.callerNumber(), conversation.agentNumber())
                .speechAtMs(0, 0)
                .build();
    }
}
