package io.captioner.stream.tools;

import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublisherSettings;
import io.captioner.stream.kafka.ShutdownReport;
import io.captioner.stream.kafka.SpillFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code replay}: publishes the events of a spill file (written by the publisher when Kafka could not take them)
 * with their original ids and sequence numbers. When all are delivered the file is renamed
 * {@code <file>.replayed}; otherwise it is kept. Consumers de-duplicate by event id, so replaying twice is safe.
 */
public final class SpillReplay {
    public static final String USAGE = String.join(
            "\n",
            "usage: replay --file SPILL.jsonl [--bootstrap HOST:PORT] [--topic T] [--partial-topic T]",
            "              [--timeout SECONDS] [--kafka KEY=VALUE]...",
            "  --file          the spill file to publish again",
            "  --bootstrap     Kafka bootstrap servers (default 127.0.0.1:9092)",
            "  --topic         topic of the events (default captions); --partial-topic for partials",
            "  --timeout       how long to try to deliver (default 30)",
            "  --kafka         Kafka client property, e.g. security.protocol=SASL_SSL (repeatable)");

    private SpillReplay() {}

    /** Returns the exit code: 0 all delivered, 1 not all delivered or unreadable file, 2 bad arguments. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        String bootstrap = "127.0.0.1:9092";
        String topic = PublisherSettings.DEFAULT_TOPIC;
        String partialTopic = null;
        long timeoutSeconds = 30;
        Map<String, String> kafka = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--file" -> file = Path.of(value(args, ++i, arg));
                    case "--bootstrap" -> bootstrap = value(args, ++i, arg);
                    case "--topic" -> topic = value(args, ++i, arg);
                    case "--partial-topic" -> partialTopic = value(args, ++i, arg);
                    case "--timeout" -> timeoutSeconds = seconds(value(args, ++i, arg));
                    case "--kafka" -> {
                        String v = value(args, ++i, arg);
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--kafka needs KEY=VALUE, got '" + v + "'");
                        }
                        kafka.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("--file is required");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        PublisherSettings settings;
        try {
            settings = PublisherSettings.builder(bootstrap)
                    .topic(topic)
                    .partialTopic(partialTopic)
                    .kafkaProperties(kafka)
                    .shutdownTimeout(Duration.ofSeconds(timeoutSeconds))
                    .build();
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        }
        try {
            SpillFile.read(file); // every line must be a valid event before anything is published
        } catch (IOException | IllegalArgumentException e) {
            err.println("replay: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        CaptionPublisher publisher = CaptionPublisher.start(settings);
        int published;
        try {
            published = publisher.replay(file);
        } catch (IOException e) {
            publisher.shutdown();
            err.println("replay: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        ShutdownReport report = publisher.shutdown();
        if (!report.allDelivered()) {
            long left = report.undeliveredFinals()
                    + report.undeliveredPartials()
                    + report.undeliveredOther()
                    + report.rejected();
            err.println("replay: " + left + " of " + published + " events from " + file + " were not delivered to "
                    + bootstrap + " within " + timeoutSeconds + " s; the file is kept"
                    + (publisher.stats().lastError() == null
                            ? ""
                            : " (" + publisher.stats().lastError() + ")"));
            return 1;
        }
        Path done = file.resolveSibling(file.getFileName() + ".replayed");
        try {
            Files.move(file, done, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            err.println("replay: delivered, but cannot rename " + file + ": " + e.getMessage());
            return 1;
        }
        out.println(
                "replayed " + published + " events from " + file + " to " + bootstrap + "; file renamed to " + done);
        return 0;
    }

    private static long seconds(String v) {
        try {
            long s = Long.parseLong(v);
            if (s >= 1) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--timeout needs a whole number of seconds >= 1, got '" + v + "'");
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
