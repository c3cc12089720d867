package io.captioner.stream.tools;

import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.PublisherSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * {@code tail}: shows captions live, as a person reads them. On a terminal the latest partial caption is
 * rewritten in place and finals stay, one per line; otherwise (or with {@code --lines}) only finals and call
 * events are printed, partials too with {@code --partials}. {@code --json} prints the raw events.
 */
public final class CaptionTail {
    public static final String USAGE = String.join(
            "\n",
            "usage: tail [--bootstrap HOST:PORT] [--topic T]... [--call ID] [--json] [--from-beginning]",
            "            [--lines|--in-place] [--partials] [--max-events N] [--kafka KEY=VALUE]...",
            "  --bootstrap       Kafka bootstrap servers (default 127.0.0.1:9092)",
            "  --topic           topic to read; repeat for separate partial/final topics (default captions)",
            "  --call            show only this call id",
            "  --json            print each event as its JSON line",
            "  --from-beginning  start at the oldest retained events instead of now",
            "  --lines           never rewrite lines in place (default when output is not a terminal)",
            "  --in-place        rewrite the partial caption line in place even when output is not a terminal",
            "  --partials        in line mode, print partial captions too",
            "  --max-events N    exit after N events were shown",
            "  --kafka KEY=VALUE Kafka client property, e.g. security.protocol=SASL_SSL (repeatable)");

    private CaptionTail() {}

    /** Runs the tool; returns the process exit code (0 done, 1 Kafka problem, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args, out == System.out && System.console() != null);
        } catch (IllegalArgumentException e) {
            err.println("tail: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options == null) {
            out.println(USAGE);
            return 0;
        }
        try (CaptionConsumer consumer =
                new CaptionConsumer(options.bootstrap, options.topics, options.fromBeginning, options.kafka)) {
            CaptionRenderer renderer = new CaptionRenderer(out, options.json, options.inPlace, options.partialLines);
            long shown = 0;
            while (options.maxEvents < 0 || shown < options.maxEvents) {
                for (CaptionConsumer.Received r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.event() == null) {
                        err.println("tail: skipping " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": "
                                + r.problem());
                        continue;
                    }
                    if (options.callId != null
                            && !options.callId.equals(r.event().callId())) {
                        continue;
                    }
                    if (renderer.show(r.event(), r.json())) {
                        shown++;
                        if (shown == options.maxEvents) {
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
            err.println("tail: cannot read captions from Kafka at " + options.bootstrap + ": " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static final class Options {
        String bootstrap = "127.0.0.1:9092";
        List<String> topics = new ArrayList<>();
        String callId;
        boolean json;
        boolean fromBeginning;
        boolean inPlace;
        boolean partialLines;
        long maxEvents = -1;
        Map<String, String> kafka = new LinkedHashMap<>();

        /** Null for --help. */
        static Options parse(String[] args, boolean terminal) {
            Options o = new Options();
            o.inPlace = terminal;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return null;
                    }
                    case "--bootstrap" -> o.bootstrap = value(args, ++i, arg);
                    case "--topic" -> o.topics.add(value(args, ++i, arg));
                    case "--call" -> o.callId = value(args, ++i, arg);
                    case "--json" -> o.json = true;
                    case "--from-beginning" -> o.fromBeginning = true;
                    case "--lines" -> o.inPlace = false;
                    case "--in-place" -> o.inPlace = true;
                    case "--partials" -> o.partialLines = true;
                    case "--max-events" -> {
                        String v = value(args, ++i, arg);
                        try {
                            o.maxEvents = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--max-events needs a number, got '" + v + "'");
                        }
                        if (o.maxEvents < 1) {
                            throw new IllegalArgumentException("--max-events must be >= 1, got " + v);
                        }
                    }
                    case "--kafka" -> {
                        String v = value(args, ++i, arg);
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--kafka needs KEY=VALUE, got '" + v + "'");
                        }
                        o.kafka.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (o.topics.isEmpty()) {
                o.topics.add(PublisherSettings.DEFAULT_TOPIC);
            }
            return o;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }
}
