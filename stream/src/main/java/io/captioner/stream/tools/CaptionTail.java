package io.captioner.stream.tools;

import io.captioner.stream.event.CallEnded;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.PublisherSettings;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code tail}: shows captions live, as a person reads them. On a terminal the latest partial caption is
 * rewritten in place and finals stay, one per line; otherwise (or with {@code --lines}) only finals and call
 * events are printed, partials too with {@code --partials}. {@code --json} prints the raw events.
 */
public final class CaptionTail {
    public static final String USAGE = String.join("\n",
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
    private static final String CLEAR_LINE = "\r\033[2K";
    private static final int DEDUP_WINDOW = 10_000;

    private CaptionTail() {
    }

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
        try (CaptionConsumer consumer = new CaptionConsumer(options.bootstrap, options.topics, options.fromBeginning,
                options.kafka)) {
            Renderer renderer = new Renderer(out, options);
            long shown = 0;
            while (options.maxEvents < 0 || shown < options.maxEvents) {
                for (CaptionConsumer.Received r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.event() == null) {
                        err.println("tail: skipping " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": "
                                + r.problem());
                        continue;
                    }
                    if (options.callId != null && !options.callId.equals(r.event().callId())) {
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

    /** Turns events into what a person reads. */
    private static final class Renderer {
        private final PrintStream out;
        private final Options options;
        private final Set<String> seen = new LinkedHashSet<>();
        private boolean liveLineShown;

        Renderer(PrintStream out, Options options) {
            this.out = out;
            this.options = options;
        }

        /** Prints the event if it is shown; returns whether it was. */
        boolean show(StreamEvent event, String json) {
            if (!seen.add(event.eventId())) {
                return false; // a duplicate delivery
            }
            if (seen.size() > DEDUP_WINDOW) {
                seen.remove(seen.iterator().next());
            }
            if (options.json) {
                out.println(json);
                return true;
            }
            if (event instanceof CaptionEvent c && c.partial()) {
                if (options.inPlace) {
                    out.print(CLEAR_LINE + captionLine(c));
                    out.flush();
                    liveLineShown = true;
                    return true;
                }
                if (!options.partialLines) {
                    return false;
                }
            }
            fixedLine(line(event));
            return true;
        }

        void finish() {
            if (liveLineShown) {
                out.println();
            }
            out.flush();
        }

        private void fixedLine(String text) {
            if (liveLineShown) {
                out.print(CLEAR_LINE);
                liveLineShown = false;
            }
            out.println(text);
            out.flush();
        }

        private static String line(StreamEvent event) {
            String call = "[call " + event.callId() + "] ";
            if (event instanceof CaptionEvent c) {
                return captionLine(c);
            } else if (event instanceof CallStarted s) {
                return call + "started" + numbers(s) + (s.legs().isEmpty() ? "" : " legs: "
                        + s.legs().stream().map(l -> l.legId() + "=" + l.role()).collect(Collectors.joining(", ")));
            } else if (event instanceof LegError e) {
                return call + label(e.role(), e.legId()) + " " + clock(e.atMs()) + "  captions stopped: " + e.code()
                        + (e.message().isEmpty() ? "" : " (" + e.message() + ")");
            } else if (event instanceof CallEnded e) {
                return call + "ended (" + e.reason() + ") after " + clock(e.durationMs()) + ", " + e.finalCount()
                        + " final captions";
            }
            throw new IllegalStateException("unknown event " + event);
        }

        private static String captionLine(CaptionEvent c) {
            String text = c.text().isEmpty() ? "(no speech recognised)" : c.text();
            return "[call " + c.callId() + "] " + label(c.role(), c.legId()) + " " + clock(c.startMs()) + "  "
                    + (c.partial() ? text + " …" : text);
        }

        private static String numbers(CallStarted s) {
            if (s.callerNumber() == null && s.calledNumber() == null) {
                return "";
            }
            return " " + (s.callerNumber() == null ? "?" : s.callerNumber()) + " -> "
                    + (s.calledNumber() == null ? "?" : s.calledNumber()) + ",";
        }

        private static String label(Role role, String legId) {
            return role == Role.UNKNOWN ? legId.toUpperCase(java.util.Locale.ROOT) : role.name();
        }

        static String clock(long ms) {
            long tenths = ms / 100;
            return String.format("%02d:%02d.%d", tenths / 600, (tenths / 10) % 60, tenths % 10);
        }
    }
}
