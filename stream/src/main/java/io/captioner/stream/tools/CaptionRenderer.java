package io.captioner.stream.tools;

import io.captioner.stream.event.CallEnded;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns caption events into what a person reads: {@code [call 1234] CALLER 00:12.3  text}, partials
 * ending with "…". Duplicate deliveries (same event id) are shown once.
 */
public final class CaptionRenderer {
    private static final String CLEAR_LINE = "\r\033[2K";
    private static final int DEDUP_WINDOW = 10_000;

    private final PrintStream out;
    private final boolean json;
    private final boolean inPlace;
    private final boolean partialLines;
    private final Set<String> seen = new LinkedHashSet<>();
    private boolean liveLineShown;

    /**
     * @param json         print each event as its JSON line
     * @param inPlace      rewrite the latest partial caption in place (a terminal)
     * @param partialLines otherwise, print partial captions as lines of their own (they end with "…")
     */
    public CaptionRenderer(PrintStream out, boolean json, boolean inPlace, boolean partialLines) {
        this.out = out;
        this.json = json;
        this.inPlace = inPlace;
        this.partialLines = partialLines;
    }

    /** Prints the event if it is shown; returns whether it was. */
    public boolean show(StreamEvent event, String eventJson) {
        if (!seen.add(event.eventId())) {
            return false; // a duplicate delivery
        }
        if (seen.size() > DEDUP_WINDOW) {
            seen.remove(seen.iterator().next());
        }
        if (json) {
            out.println(eventJson);
            return true;
        }
        if (event instanceof CaptionEvent c && c.partial()) {
            if (inPlace) {
                out.print(CLEAR_LINE + captionLine(c));
                out.flush();
                liveLineShown = true;
                return true;
            }
            if (!partialLines) {
                return false;
            }
        }
        fixedLine(line(event));
        return true;
    }

    public void finish() {
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
            return call + "started" + numbers(s)
                    + (s.legs().isEmpty()
                            ? ""
                            : " legs: "
                                    + s.legs().stream()
                                            .map(l -> l.legId() + "=" + l.role())
                                            .collect(Collectors.joining(", ")));
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
        String text = c.text().isEmpty() ? "(partial withdrawn)" : c.text();
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
