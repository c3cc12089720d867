package io.captioner.stream.tools;

import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.PublisherSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tail}: shows captions live, as a person reads them. On a terminal the latest partial caption is
 * rewritten in place and finals stay, one per line; otherwise (or with {@code --lines}) only finals and call
 * events are printed, partials too with {@code --partials}. {@code --json} prints the raw events.
 */
@Command(
        name = "tail",
        usageHelpWidth = 110,
        mixinStandardHelpOptions = true,
        description = {
            "Show the captions of a Kafka topic as they arrive.",
            "",
            "On a terminal the latest partial is rewritten in place and finals stay, one per line; otherwise only"
                    + " finals and call events are printed (partials too with --partials)."
        })
public final class CaptionTail implements Callable<Integer> {
    @Mixin
    private KafkaOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "topic to read; repeat for separate partial/final topics (default "
                    + PublisherSettings.DEFAULT_TOPIC + ")")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--call", paramLabel = "ID", description = "show only this call id")
    private String callId;

    @Option(names = "--json", description = "print each event as its JSON line")
    private boolean json;

    @Option(names = "--from-beginning", description = "start at the oldest retained events instead of now")
    private boolean fromBeginning;

    @ArgGroup(exclusive = true)
    private LineMode lineMode;

    @Option(names = "--partials", description = "in line mode, print partial captions too")
    private boolean partialLines;

    @Option(names = "--max-events", paramLabel = "N", description = "exit after N events were shown")
    private Long maxEvents;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private static final class LineMode {
        @Option(names = "--lines", description = "never rewrite lines in place (default when output is not a terminal)")
        boolean lines;

        @Option(
                names = "--in-place",
                description = "rewrite the partial caption line in place even when output is not a terminal")
        boolean inPlace;
    }

    public CaptionTail(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the tool; returns the process exit code (0 done, 1 Kafka problem, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new CaptionTail(out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        if (maxEvents != null && maxEvents < 1) {
            throw new ParameterException(spec.commandLine(), "--max-events must be >= 1, got " + maxEvents);
        }
        boolean terminal = out == System.out && System.console() != null;
        boolean inPlace = lineMode == null ? terminal : lineMode.inPlace;
        long limit = maxEvents == null ? -1 : maxEvents;
        List<String> topics = this.topics.isEmpty() ? List.of(PublisherSettings.DEFAULT_TOPIC) : this.topics;
        try (CaptionConsumer consumer = new CaptionConsumer(kafka.bootstrap, topics, fromBeginning, kafka.properties)) {
            CaptionRenderer renderer = new CaptionRenderer(out, json, inPlace, partialLines);
            long shown = 0;
            while (limit < 0 || shown < limit) {
                for (CaptionConsumer.Received r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.event() == null) {
                        err.println("tail: skipping " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": "
                                + r.problem());
                        continue;
                    }
                    if (callId != null && !callId.equals(r.event().callId())) {
                        continue;
                    }
                    if (renderer.show(r.event(), r.json())) {
                        shown++;
                        if (shown == limit) {
                            break;
                        }
                    }
                }
            }
            renderer.finish();
            return 0;
        } catch (WakeupException e) {
            return 0;
        } catch (IllegalArgumentException | KafkaException e) {
            err.println("tail: cannot read captions from Kafka at " + kafka.bootstrap + ": " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
