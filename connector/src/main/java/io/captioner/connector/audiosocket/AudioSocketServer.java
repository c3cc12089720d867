package io.captioner.connector.audiosocket;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AudioSocket TCP server Asterisk's taps connect to. Listens on one interface, accepts only
 * allow-listed source addresses, and hands every connection to an {@link AudioSocketSession}.
 * Create and start it on the Vert.x context that owns the taps: its handlers run there.
 */
public final class AudioSocketServer {
    private static final Logger log = LoggerFactory.getLogger(AudioSocketServer.class);

    private final Vertx vertx;
    private final String bindHost;
    private final int port;
    private final Set<InetAddress> allowed = new HashSet<>();
    private final TapDirectory directory;
    private final Duration idTimeout;
    private final AtomicLong rejected;
    private final AtomicLong protocolErrors;
    private NetServer server;

    public AudioSocketServer(
            Vertx vertx,
            String bindHost,
            int port,
            List<String> allowedSources,
            TapDirectory directory,
            Duration idTimeout,
            AtomicLong rejected,
            AtomicLong protocolErrors) {
        this.vertx = vertx;
        this.bindHost = bindHost;
        this.port = port;
        this.directory = directory;
        this.idTimeout = idTimeout;
        this.rejected = rejected;
        this.protocolErrors = protocolErrors;
        for (String source : allowedSources) {
            try {
                allowed.add(InetAddress.getByName(source));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(
                        "AudioSocket allow-list entry '" + source + "' is not an address", e);
            }
        }
    }

    /** Binds; completes with the port actually bound. */
    public Future<Integer> start() {
        server = vertx.createNetServer(
                new NetServerOptions().setHost(bindHost).setPort(port).setTcpNoDelay(true));
        server.connectHandler(this::onConnection);
        return server.listen().map(s -> {
            log.info(
                    "AudioSocket server listening on {}:{}{}",
                    bindHost,
                    s.actualPort(),
                    allowed.isEmpty() ? " (any source)" : " for " + allowed);
            return s.actualPort();
        });
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void onConnection(NetSocket socket) {
        if (!allowed.isEmpty() && !isAllowed(socket)) {
            rejected.incrementAndGet();
            log.warn("AudioSocket connection from {} refused: source not in the allow-list", socket.remoteAddress());
            socket.close();
            return;
        }
        AudioSocketSession session = new AudioSocketSession(socket, directory, rejected, protocolErrors);
        vertx.setTimer(idTimeout.toMillis(), id -> {
            if (!session.hasId()) {
                session.abort("no id message within " + idTimeout.toMillis() + " ms", true);
            }
        });
    }

    private boolean isAllowed(NetSocket socket) {
        try {
            return allowed.contains(InetAddress.getByName(socket.remoteAddress().hostAddress()));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
