package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.connector.AsteriskConnector;
import io.captioner.connector.ConnectorCounters;
import io.captioner.service.cluster.AudioTopic;
import io.captioner.service.cluster.AudioTopicPublisher;
import io.captioner.service.cluster.AudioTopicReader;
import io.captioner.service.cluster.RecordClock;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublisherStats;
import io.captioner.stream.kafka.ShutdownReport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, in the role {@code cluster.role} gives it. All in one: model, Kafka publisher, captioning,
 * Asterisk connector and HTTP. A tapper: the connector, publishing the calls' audio to the audio topic, and HTTP.
 * A recognizer: model, publisher, captioning of the audio topic's calls that Kafka assigns it, and HTTP. Parts
 * start in that order and stop in reverse, so that open utterances end as finals and reach Kafka (or, on a
 * recognizer, are handed over to the others).
 */
public final class CaptionerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptionerApp.class);

    /** The parts one role runs; those it does not run are null. */
    private record Parts(
            AsrModel model,
            CaptionPublisher publisher,
            CaptioningService service,
            AsteriskConnector connector,
            AudioTopicPublisher audioOut,
            AudioTopicReader audioIn) {}

    private final Vertx vertx;
    private final Parts parts;
    private final HttpServer http;
    private final Duration shutdownTimeout;
    private boolean closed;

    private CaptionerApp(Vertx vertx, Parts parts, HttpServer http, Duration shutdownTimeout) {
        this.vertx = vertx;
        this.parts = parts;
        this.http = http;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static CaptionerApp start(ServiceSettings settings) throws Exception {
        return settings.cluster().role() == ServiceSettings.InstanceRole.TAPPER
                ? startTapper(settings)
                : startCaptioning(settings);
    }

    /** All in one, or a recognizer of a cluster. */
    private static CaptionerApp startCaptioning(ServiceSettings settings) throws Exception {
        boolean recognizer = settings.cluster().role() == ServiceSettings.InstanceRole.RECOGNIZER;
        AsrModel model = ServiceWiring.loadModel(settings);
        log.info("model loaded: {}", model.describe());
        Vertx vertx = Vertx.vertx();
        CaptionPublisher publisher = null;
        AudioTopicReader audioIn = null;
        try {
            publisher = CaptionPublisher.start(ServiceWiring.publisherSettings(settings.kafka()));
            ServiceMetrics metrics = new ServiceMetrics();
            metrics.gauge(
                    "captioner_language_model_in_use",
                    "1 when a word language model is fused into decoding",
                    () -> model.languageModel() == null ? 0 : 1);
            CaptionPublisher kafka = publisher;
            CaptionSink sink = new CaptionSink() {
                @Override
                public void publish(StreamEvent event) {
                    kafka.publish(event);
                }

                @Override
                public boolean isReady() {
                    return kafka.isReady();
                }
            };
            RecordClock recordClock = new RecordClock();
            CaptioningService service =
                    new CaptioningService(settings, model, sink, metrics, recognizer ? recordClock : Clock.systemUTC());
            registerPublisherMetrics(metrics, publisher);
            AsteriskConnector connector = null;
            if (recognizer) {
                AudioTopic.ensure(settings);
                audioIn = new AudioTopicReader(
                        AudioTopic.consumerConfig(settings),
                        settings.cluster().audioTopic(),
                        service,
                        () -> flushed(kafka),
                        recordClock,
                        metrics.audioHop::observe);
                service.attachAudioTopic(audioIn::isReading, audioIn::isKeepingUp);
                registerReaderMetrics(metrics, audioIn);
            } else {
                connector = new AsteriskConnector(vertx, ServiceWiring.connectorSettings(settings), service);
                service.attach(connector);
                registerConnectorMetrics(metrics, connector.counters());
            }
            HttpServer http = startHttp(vertx, service, settings);
            if (recognizer) {
                audioIn.start();
                log.info(
                        "recognizer: captioning the calls of {} that group {} assigns it",
                        settings.cluster().audioTopic(),
                        settings.cluster().group());
            } else {
                startConnector(connector, settings);
            }
            return new CaptionerApp(
                    vertx,
                    new Parts(model, publisher, service, connector, null, audioIn),
                    http,
                    settings.kafka().shutdownTimeout());
        } catch (Exception | Error e) {
            if (audioIn != null) {
                audioIn.close();
            }
            if (publisher != null) {
                publisher.close();
            }
            vertx.close();
            model.close();
            throw e;
        }
    }

    /** A tapper of a cluster: taps Asterisk and publishes the calls to the audio topic; no model. */
    private static CaptionerApp startTapper(ServiceSettings settings) throws Exception {
        AudioTopic.ensure(settings);
        Vertx vertx = Vertx.vertx();
        AudioTopicPublisher audioOut = null;
        try {
            audioOut = new AudioTopicPublisher(
                    AudioTopic.producerConfig(settings),
                    settings.cluster().audioTopic(),
                    settings.cluster().recordAudio());
            AsteriskConnector connector =
                    new AsteriskConnector(vertx, ServiceWiring.connectorSettings(settings), audioOut);
            ServiceMetrics metrics = new ServiceMetrics();
            registerConnectorMetrics(metrics, connector.counters());
            AudioTopicPublisher records = audioOut;
            metrics.counter(
                    "captioner_audio_records_sent_total",
                    "Audio topic records acknowledged by Kafka",
                    records::recordsSent);
            metrics.counter(
                    "captioner_audio_records_failed_total",
                    "Audio topic records Kafka did not take (their audio is missing from a call)",
                    records::recordsFailed);
            HttpServer http = startHttp(vertx, new TapperControl(connector, metrics), settings);
            startConnector(connector, settings);
            log.info(
                    "tapper: publishing the calls' audio to {}",
                    settings.cluster().audioTopic());
            return new CaptionerApp(
                    vertx,
                    new Parts(null, null, null, connector, audioOut, null),
                    http,
                    settings.kafka().shutdownTimeout());
        } catch (Exception | Error e) {
            if (audioOut != null) {
                audioOut.close();
            }
            vertx.close();
            throw e;
        }
    }

    private static boolean flushed(CaptionPublisher publisher) {
        try {
            return publisher.flush(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpServer startHttp(Vertx vertx, ServiceControl control, ServiceSettings settings)
            throws Exception {
        HttpServer http = bound(
                () -> new HttpApi(vertx, control, settings.http().token().reveal())
                        .listen(settings.http().host(), settings.http().port())
                        .await(),
                "http.port",
                settings.http().host(),
                settings.http().port());
        log.info(
                "HTTP on http://{}:{}/ (live captions, /health, /ready, /metrics, /api/calls)",
                settings.http().host(),
                http.actualPort());
        return http;
    }

    private static void startConnector(AsteriskConnector connector, ServiceSettings settings) throws Exception {
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

    private static void registerReaderMetrics(ServiceMetrics metrics, AudioTopicReader reader) {
        metrics.counter("captioner_audio_records_read_total", "Audio topic records read", reader::recordsRead);
        metrics.counter(
                "captioner_audio_records_rejected_total",
                "Audio topic records that were not audio records of this version (skipped)",
                reader::recordsRejected);
        metrics.gauge(
                "captioner_audio_partitions_assigned",
                "Partitions of the audio topic this recognizer holds",
                () -> reader.assignment().size());
        metrics.gauge(
                "captioner_audio_delay_seconds",
                "How far behind the tappers this recognizer reads the audio topic (0: all read)",
                reader::delaySeconds);
    }

    private static void registerConnectorMetrics(ServiceMetrics metrics, ConnectorCounters counters) {
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
    }

    private static void registerPublisherMetrics(ServiceMetrics metrics, CaptionPublisher publisher) {
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

    /** The AudioSocket port of an instance that taps Asterisk. */
    public int audioSocketPort() {
        if (parts.connector() == null) {
            throw new IllegalStateException("a recognizer does not tap Asterisk (cluster.role: recognizer)");
        }
        return parts.connector().audioSocketPort();
    }

    /**
     * Graceful stop: taps end; all in one, open utterances become finals; a tapper sends what it gathered; a
     * recognizer hands its open calls over; Kafka is flushed, what is left is reported.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping: ending taps and finishing open utterances");
        if (parts.connector() != null) {
            try {
                parts.connector().stop().await();
            } catch (RuntimeException e) {
                log.warn("connector stop: {}", e.toString());
            }
        }
        if (parts.audioOut() != null) {
            parts.audioOut().close();
        }
        if (parts.audioIn() != null) {
            parts.audioIn().close();
        }
        if (parts.service() != null && !parts.service().awaitCallsEnded(shutdownTimeout)) {
            log.warn("some calls had not finished their captions within {}", shutdownTimeout);
        }
        if (parts.publisher() != null) {
            ShutdownReport report = parts.publisher().shutdown();
            if (report.allDelivered()) {
                log.info("Kafka flushed: {}", report);
            } else {
                log.error("events not delivered to Kafka at shutdown: {}", report);
            }
        }
        http.close().await();
        vertx.close().await();
        if (parts.model() != null) {
            parts.model().close();
        }
    }
}
