package io.captioner.stream.tools;

import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublisherSettings;
import io.captioner.stream.kafka.ShutdownReport;
import io.captioner.stream.kafka.SpillFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: publishes the events of a spill file (written by the publisher when Kafka could not take them)
 * with their original ids and sequence numbers. When all are delivered the file is renamed
 * {@code <file>.replayed}; otherwise it is kept. Consumers de-duplicate by event id, so replaying twice is safe.
 */
@Command(
        name = "replay",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "Publish the events left undelivered at a shutdown (kafka.undeliveredFile) to Kafka.",
            "",
            "The events keep their ids and sequence numbers, so consumers that de-duplicate by event id can take a"
                    + " replay twice. When all are delivered the file is renamed <file>.replayed."
        })
public final class SpillReplay implements Callable<Integer> {
    @Option(names = "--file", paramLabel = "SPILL.jsonl", required = true, description = "the spill file to publish")
    private Path file;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "T", description = "topic of the events (default ${DEFAULT-VALUE})")
    private String topic = PublisherSettings.DEFAULT_TOPIC;

    @Option(names = "--partial-topic", paramLabel = "T", description = "topic of the partials, if separate")
    private String partialTopic;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "how long to try to deliver (default ${DEFAULT-VALUE})")
    private long timeoutSeconds = 30;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public SpillReplay(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns the exit code: 0 all delivered, 1 not all delivered or unreadable file, 2 bad arguments. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new SpillReplay(out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--timeout needs a whole number of seconds >= 1, got " + timeoutSeconds);
        }
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--file: no such file: " + file);
        }
        PublisherSettings settings;
        try {
            settings = PublisherSettings.builder(kafka.bootstrap)
                    .topic(topic)
                    .partialTopic(partialTopic)
                    .kafkaProperties(kafka.properties)
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
                    + kafka.bootstrap + " within " + timeoutSeconds + " s; the file is kept"
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
        out.println("replayed " + published + " events from " + file + " to " + kafka.bootstrap + "; file renamed to "
                + done);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
