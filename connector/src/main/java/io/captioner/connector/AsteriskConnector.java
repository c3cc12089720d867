package io.captioner.connector;

import io.captioner.connector.audiosocket.AudioSocketServer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taps both legs of Asterisk calls and hands their audio and lifecycle to a {@link CallListener}.
 *
 * <p>It follows calls over AMI (Asterisk-Java), taps each chosen leg with an AMI Originate of
 * {@code AudioSocket/<host>:<port>/<uuid>/c(slin)} running {@code ChanSpy(<uniqueid>,qEuo)}, and
 * receives the audio on its own AudioSocket server. All state lives on one Vert.x event-loop
 * context; listener callbacks come on one Vert.x worker context (see {@link CallListener}).
 *
 * <pre>{@code
 * AsteriskConnector connector = new AsteriskConnector(vertx, settings, listener);
 * connector.start().await();
 * ...
 * connector.stop().await();
 * }</pre>
 */
public final class AsteriskConnector {
    private static final Logger log = LoggerFactory.getLogger(AsteriskConnector.class);

    private final Vertx vertx;
    private final ConnectorSettings settings;
    private final CallListener listener;
    private final ConnectorCounters counters = new ConnectorCounters();
    private volatile List<CallSnapshot> activeCalls = List.of();
    private volatile int audioSocketPort;
    private Context context;
    private String contextDeployment;
    private String workerDeployment;
    private AudioSocketServer server;
    private volatile AmiLink ami;
    private TapManager taps;
    private CallTracker tracker;

    public AsteriskConnector(Vertx vertx, ConnectorSettings settings, CallListener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Binds the AudioSocket server, then logs in to AMI and takes stock of the calls in progress.
     * Fails when the port cannot be bound or the first login fails (later disconnects are retried
     * by Asterisk-Java forever).
     */
    public Future<Void> start() {
        Promise<Context> worker = Promise.promise();
        Promise<Context> loop = Promise.promise();
        return vertx.deployVerticle(
                        new ContextHolder(worker), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .compose(id -> {
                    workerDeployment = id;
                    return vertx.deployVerticle(new ContextHolder(loop));
                })
                .compose(id -> {
                    contextDeployment = id;
                    wire(loop.future().result(), worker.future().result());
                    Promise<Integer> bound = Promise.promise();
                    context.runOnContext(v -> {
                        server = new AudioSocketServer(
                                vertx,
                                settings.audioSocketBindHost(),
                                settings.audioSocketPort(),
                                settings.allowedSources(),
                                taps,
                                settings.connectTimeout(),
                                counters.connectionsRejected,
                                counters.protocolErrors);
                        server.start().onComplete(bound);
                    });
                    return bound.future();
                })
                .compose(port -> {
                    audioSocketPort = port;
                    return vertx.executeBlocking(() -> {
                        ami.login();
                        return null;
                    });
                })
                .<Void>mapEmpty()
                .recover(e -> {
                    log.error("connector start failed: {}", e.toString());
                    return stop().transform(x -> Future.failedFuture(new IllegalStateException(
                            "Asterisk connector could not start (AMI " + settings.amiHost() + ":" + settings.amiPort()
                                    + ", AudioSocket " + settings.audioSocketBindHost() + ":"
                                    + settings.audioSocketPort()
                                    + "): " + e.getMessage(),
                            e)));
                });
    }

    /**
     * Builds the connector's parts: they run on {@code loop}, and the listener is called on {@code worker}. The
     * tap manager reports ended legs to the call tracker, which is built after it.
     */
    private void wire(Context loop, Context worker) {
        context = loop;
        Delivery delivery = new Delivery(worker, listener, counters, settings.legBufferFrames());
        ami = new AmiLink(settings, this::onAmiEvent);
        taps = new TapManager(
                vertx,
                context,
                settings,
                ami,
                delivery,
                counters,
                this::dialAddress,
                listener,
                leg -> tracker.legEnded(leg));
        tracker = new CallTracker(
                settings,
                taps,
                delivery,
                listener,
                list -> activeCalls = list,
                (channel, variable, value) ->
                        ami.getVar(channel, variable, v -> context.runOnContext(x -> value.accept(v))));
        taps.onStateChange(tracker::publish);
    }

    /** Stops every tap (sending 0x00), logs off and closes the AudioSocket server. */
    public Future<Void> stop() {
        Promise<Void> stopped = Promise.promise();
        if (context == null) {
            return Future.succeededFuture();
        }
        context.runOnContext(v -> {
            if (taps != null) {
                taps.stopAll("connector stopped");
                tracker.shutdown("connector stopped");
            }
            stopped.complete();
        });
        return stopped.future()
                .compose(v -> vertx.executeBlocking(() -> {
                    if (ami != null) {
                        ami.logoff();
                    }
                    return null;
                }))
                .compose(v -> server == null ? Future.succeededFuture() : server.stop())
                .compose(v -> contextDeployment == null ? Future.succeededFuture() : vertx.undeploy(contextDeployment))
                .compose(v -> workerDeployment == null ? Future.succeededFuture() : vertx.undeploy(workerDeployment))
                .onComplete(ar -> context = null)
                .mapEmpty();
    }

    /** Starts captioning a call now (ON_REQUEST policy); false when the call is unknown or over. */
    public Future<Boolean> requestCaptioning(String callId) {
        Promise<Boolean> result = Promise.promise();
        context.runOnContext(v -> result.complete(tracker.requestCaptioning(callId)));
        return result.future();
    }

    /**
     * Stops tapping a leg the user will not caption (overload): {@link CallListener#onLegEnded} follows with
     * {@code reason}, and the AudioSocket channel is hung up unless a stereo tap still carries the other leg.
     */
    public void releaseLeg(TappedLeg leg, String reason) {
        context.runOnContext(v -> taps.release(leg.legId(), reason));
    }

    /** The calls tracked right now (a snapshot; safe from any thread). */
    public List<CallSnapshot> activeCalls() {
        return activeCalls;
    }

    /** Whether the manager connection is logged in right now (for readiness checks). */
    public boolean isManagerConnected() {
        AmiLink link = ami;
        return link != null && link.isConnected();
    }

    public ConnectorCounters counters() {
        return counters;
    }

    /** The port the AudioSocket server is bound to (after start). */
    public int audioSocketPort() {
        return audioSocketPort;
    }

    public ConnectorSettings settings() {
        return settings;
    }

    private String dialAddress() {
        String host = settings.audioSocketDialHost() != null
                ? settings.audioSocketDialHost()
                : settings.audioSocketBindHost();
        int port = settings.audioSocketDialPort() != 0 ? settings.audioSocketDialPort() : audioSocketPort;
        return host + ":" + port;
    }

    /** Called on Asterisk-Java's threads: only hands over. */
    private void onAmiEvent(AmiEvent e) {
        switch (e.type()) {
            case CONNECTED -> {
                counters.amiConnects.incrementAndGet();
                log.info("AMI logged in to {}:{}; listing channels", settings.amiHost(), settings.amiPort());
                context.runOnContext(v -> tracker.listingRequested());
                ami.coreShowChannels(list -> context.runOnContext(v -> {
                    if (list != null) {
                        tracker.resync(list);
                    }
                    taps.managerUp();
                }));
            }
            case DISCONNECTED -> {
                counters.amiDisconnects.incrementAndGet();
                log.warn(
                        "AMI connection to {}:{} lost; Asterisk-Java reconnects",
                        settings.amiHost(),
                        settings.amiPort());
                context.runOnContext(v -> taps.managerDown());
            }
            default -> {
                Context c = context;
                if (c != null) {
                    c.runOnContext(v -> tracker.onEvent(e));
                }
            }
        }
    }

    /** A verticle that only lends its context. */
    private static final class ContextHolder extends AbstractVerticle {
        private final Promise<Context> promise;

        ContextHolder(Promise<Context> promise) {
            this.promise = promise;
        }

        @Override
        public void start() {
            promise.complete(context);
        }
    }
}
