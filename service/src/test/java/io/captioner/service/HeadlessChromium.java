package io.captioner.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol: opens a page and evaluates
 * JavaScript in it, so a test sees what a person would see on the live page.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^/]+)/");
    private static final Pattern PAGE_SOCKET =
            Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final StringBuilder message = new StringBuilder();
    private volatile CompletableFuture<String> reply = new CompletableFuture<>();
    private int nextId = 1;

    HeadlessChromium(String url) throws Exception {
        profile = Files.createTempDirectory("chromium-profile");
        process = new ProcessBuilder(
                        "chromium",
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile,
                        url)
                .redirectErrorStream(true)
                .start();
        String endpoint = devToolsEndpoint();
        HttpClient http = HttpClient.newHttpClient();
        String pages = "";
        for (int attempt = 0; attempt < 50 && !PAGE_SOCKET.matcher(pages).find(); attempt++) {
            pages = http.send(
                            HttpRequest.newBuilder(URI.create(endpoint.replace("ws://", "http://") + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Thread.sleep(100);
        }
        Matcher page = PAGE_SOCKET.matcher(pages);
        if (!page.find()) {
            throw new IllegalStateException("chromium opened no page: " + pages);
        }
        socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(page.group(1)), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    private String devToolsEndpoint() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        StringBuilder log = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            log.append(line).append('\n');
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            /* keep the pipe empty */
                        }
                    } catch (IOException ignored) {
                        // the browser is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("chromium did not start its DevTools endpoint:\n" + log);
    }

    /** Evaluates a JavaScript expression in the page and returns the raw protocol reply. */
    synchronized String evaluate(String expression) throws Exception {
        reply = new CompletableFuture<>();
        String escaped = expression.replace("\\", "\\\\").replace("\"", "\\\"");
        socket.sendText(
                        "{\"id\":" + nextId++ + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
                                + escaped + "\",\"returnByValue\":true}}",
                        true)
                .get(5, TimeUnit.SECONDS);
        return reply.get(10, TimeUnit.SECONDS);
    }

    /** Polls {@code expression} until its reply contains {@code expected}; returns the last reply. */
    String awaitEvaluation(String expression, String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = evaluate(expression);
        while (!last.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = evaluate(expression);
        }
        return last;
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                if (text.contains("\"id\":")) {
                    reply.complete(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        // Chromium's helper processes (network service, renderers) write into the profile too: end them all
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
                return;
            } catch (UncheckedIOException e) { // a file went away while the walk listed it
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
