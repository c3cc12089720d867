package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.connector.AsteriskConnector;
import io.captioner.connector.ConnectorCounters;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublisherStats;
import io.captioner.stream.kafka.ShutdownReport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: model, Kafka publisher, captioning, Asterisk connector and HTTP, started in
 * that order and stopped in reverse so that open utterances end as finals and reach Kafka.
 */
public final class CaptionerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptionerApp.class);

    private final Vertx vertx;
    private final AsrModel model;
    private final CaptionPublisher publisher;
    private final CaptioningService service;
    private final AsteriskConnector connector;
    private final HttpServer http;
    private final Duration shutdownTimeout;
    private boolean closed;

    private CaptionerApp(
            Vertx vertx,
            AsrModel model,
            CaptionPublisher publisher,
            CaptioningService service,
            AsteriskConnector connector,
            HttpServer http,
            Duration shutdownTimeout) {
        this.vertx = vertx;
        this.model = model;
        this.publisher = publisher;
        this.service = service;
        this.connector = connector;
        this.http = http;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static CaptionerApp start(ServiceSettings settings) throws Exception {
        AsrModel model = ServiceWiring.loadModel(settings);
        log.info("model loaded: {}", model.describe());
        Vertx vertx = Vertx.vertx();
        CaptionPublisher publisher = null;
        try {
            publisher = CaptionPublisher.start(ServiceWiring.publisherSettings(settings.kafka()));
            ServiceMetrics metrics = new ServiceMetrics();
            metrics.gauge(
                    "captioner_language_model_in_use",
                    "1 when a word language model is fused into decoding",
                    () -> model.languageModel() == null ? 0 : 1);
            CaptionPublisher kafka = publisher;
            CaptioningService service = new CaptioningService(
                    settings,
                    model,
                    new CaptionSink() {
                        @Override
                        public void publish(StreamEvent event) {
                            kafka.publish(event);
                        }

                        @Override
                        public boolean isReady() {
                            return kafka.isReady();
                        }
                    },
                    metrics);
            AsteriskConnector connector =
                    new AsteriskConnector(vertx, ServiceWiring.connectorSettings(settings), service);
            service.attach(connector);
            registerModuleMetrics(metrics, publisher, connector.counters());
            HttpServer http = bound(
                    () -> new HttpApi(vertx, service, settings.http().token().reveal())
                            .listen(settings.http().host(), settings.http().port())
                            .await(),
                    "http.port",
                    settings.http().host(),
                    settings.http().port());
            log.info(
                    "HTTP on http://{}:{}/ (live captions, /health, /ready, /metrics, /api/calls)",
                    settings.http().host(),
                    http.actualPort());
            bound(
                    () -> connector.start().await(),
                    "audiosocket.port",
                    settings.audioSocket().bindHost(),
                    settings.audioSocket().port());
            log.info(
                    "connected to Asterisk manager {}:{}; AudioSocket on {}:{}",
                    settings.ami().host(),
                    settings.ami().port(),
                    settings.audioSocket().bindHost(),
                    connector.audioSocketPort());
            return new CaptionerApp(
                    vertx,
                    model,
                    publisher,
                    service,
                    connector,
                    http,
                    settings.kafka().shutdownTimeout());
        } catch (Exception | Error e) {
            if (publisher != null) {
                publisher.close();
            }
            vertx.close();
            model.close();
            throw e;
        }
    }

    /** Runs {@code start}; a port already taken stops startup with the key, the address and the port. */
    private static <T> T bound(Callable<T> start, String key, String host, int port) throws Exception {
        try {
            return start.call();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new IllegalStateException(key + " " + port + " on " + host + " is already in use", e);
                }
            }
            throw e;
        }
    }

    private static void registerModuleMetrics(
            ServiceMetrics metrics, CaptionPublisher publisher, ConnectorCounters counters) {
        metrics.counter(
                "captioner_frames_dropped_total",
                "Audio frames dropped in a tap's buffer because decoding fell behind",
                counters::framesDropped);
        metrics.counter(
                "captioner_taps_failed_total", "Legs whose tap failed after all attempts", counters::tapsFailed);
        metrics.counter(
                "captioner_tap_attempts_failed_total",
                "Tap attempts that failed (retried while attempts remain)",
                counters::tapAttemptsFailed);
        metrics.counter(
                "captioner_silence_frames_total",
                "Silences put on a leg's time line for pauses in its tap's frames",
                counters::silenceFrames);
        metrics.counter(
                "captioner_audiosocket_rejected_total",
                "AudioSocket connections refused or closed for a protocol error",
                () -> counters.connectionsRejected() + counters.protocolErrors());
        kafka(
                metrics,
                publisher,
                "captioner_kafka_events_sent_total",
                "Events acknowledged by Kafka",
                PublisherStats::sent);
        kafka(
                metrics,
                publisher,
                "captioner_kafka_send_failures_total",
                "Kafka send attempts that failed (retried)",
                PublisherStats::failedAttempts);
        kafka(
                metrics,
                publisher,
                "captioner_kafka_partials_dropped_total",
                "Partial captions dropped while Kafka lagged",
                PublisherStats::droppedPartials);
        kafka(
                metrics,
                publisher,
                "captioner_kafka_finals_rejected_total",
                "Final captions or call events Kafka could not take in time",
                s -> s.rejected() + s.failedPermanently());
        metrics.gauge(
                "captioner_kafka_buffered_events",
                "Events waiting for Kafka",
                () -> publisher.stats().buffered());
        metrics.gauge(
                "captioner_kafka_send_latency_mean_seconds",
                "Mean time from publish to Kafka acknowledgement",
                () -> publisher.stats().sendLatency().meanMs() / 1000);
        metrics.gauge(
                "captioner_kafka_send_latency_p99_seconds",
                "99th percentile (bucket bound) of the Kafka send latency",
                () -> publisher.stats().sendLatency().quantileUpperBoundMs(0.99) / 1000.0);
        metrics.gauge(
                "captioner_kafka_reachable",
                "1 when the last contact with Kafka succeeded",
                () -> publisher.isBrokerReachable() ? 1 : 0);
    }

    private static void kafka(
            ServiceMetrics metrics,
            CaptionPublisher publisher,
            String name,
            String help,
            ToDoubleFunction<PublisherStats> value) {
        metrics.counter(name, help, () -> value.applyAsDouble(publisher.stats()));
    }

    public int httpPort() {
        return http.actualPort();
    }

    public int audioSocketPort() {
        return connector.audioSocketPort();
    }

    /** Graceful stop: taps end, open utterances become finals, Kafka is flushed, what is left is reported. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping: ending taps and finishing open utterances");
        try {
            connector.stop().await();
        } catch (RuntimeException e) {
            log.warn("connector stop: {}", e.toString());
        }
        if (!service.awaitCallsEnded(shutdownTimeout)) {
            log.warn("some calls had not finished their captions within {}", shutdownTimeout);
        }
        ShutdownReport report = publisher.shutdown();
        if (report.allDelivered()) {
            log.info("Kafka flushed: {}", report);
        } else {
            log.error("events not delivered to Kafka at shutdown: {}", report);
        }
        http.close().await();
        vertx.close().await();
        model.close();
    }
}
