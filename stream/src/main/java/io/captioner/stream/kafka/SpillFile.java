package io.captioner.stream.kafka;

import io.captioner.stream.event.EventJson;
import io.captioner.stream.event.StreamEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A local JSON-lines file of events that could not be delivered to Kafka, one event per line, appended to.
 * {@link #read} gives them back (with their original ids and sequence numbers) for {@link CaptionPublisher#replay}.
 */
public final class SpillFile {
    private SpillFile() {}

    static synchronized void append(Path file, List<String> jsonLines) throws IOException {
        if (jsonLines.isEmpty()) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            for (String line : jsonLines) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    /** The events in {@code file}; throws {@link IllegalArgumentException} naming the line of a bad entry. */
    public static List<StreamEvent> read(Path file) throws IOException {
        List<StreamEvent> events = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(EventJson.fromJson(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return events;
    }
}
