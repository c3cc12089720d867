package io.captioner.service;

import io.captioner.asr.AsrModel;
import io.captioner.asr.DecodeOptions;
import io.captioner.asr.StreamingRecognizer;
import io.captioner.asr.search.ContextGraph;
import io.captioner.config.ConfigException;
import io.captioner.connector.AsteriskConnector;
import io.captioner.connector.AudioFrame;
import io.captioner.connector.CallInfo;
import io.captioner.connector.CallListener;
import io.captioner.connector.TappedLeg;
import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.LegInfo;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.redact.RedactionRules;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captions the calls the connector reports: one recognizer per tapped leg, decoded on the {@link DecoderPool},
 * caption events to Kafka and to the live page. {@link LegAdmission} decides which legs get a recognizer
 * (the others get a {@code LEG_ERROR} event); {@link ActiveCallsView} is what the HTTP API shows of the calls.
 *
 * <p>Threading: the {@link CallListener} methods run in order on the connector's worker context, the
 * {@link ServiceControl} methods on the HTTP API's event loop, each leg's decoding on the decoder pool.
 */
public final class CaptioningService implements CallListener, ServiceControl {
    private static final Logger log = LoggerFactory.getLogger(CaptioningService.class);

    private final ServiceSettings settings;
    private final AsrModel model;
    private final DecodeOptions decodeOptions;
    private final ModelInfo modelInfo;
    private final RedactionRules redaction;
    private final CaptionSink publisher;
    private final ServiceMetrics metrics;
    private final DecoderPool decoders;
    private final Map<String, CallCaptioner> calls = new ConcurrentHashMap<>();
    private final LegAdmission admission;
    private final LiveFeed liveFeed = new LiveFeed();
    private final Clock clock;
    private volatile AsteriskConnector connector;
    private volatile BooleanSupplier audioTopicReading;
    private volatile BooleanSupplier audioTopicKeepingUp;

    /** {@code publisher}: where the events go besides the live page (Kafka in the service). */
    public CaptioningService(ServiceSettings settings, AsrModel model, CaptionSink publisher, ServiceMetrics metrics) {
        this(settings, model, publisher, metrics, Clock.systemUTC());
    }

    /**
     * {@code clock}: the time of the callback being handled. A recognizer of a cluster gives the time the tapper
     * recorded, so that every recognizer that captions a call names its events alike.
     */
    public CaptioningService(
            ServiceSettings settings, AsrModel model, CaptionSink publisher, ServiceMetrics metrics, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.model = model;
        this.decodeOptions = ServiceWiring.decodeOptions(settings.decoder());
        try {
            model.newRecognizer(decodeOptions, "configuration check");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("decoder: " + e.getMessage()));
        }
        this.modelInfo = new ModelInfo(
                model.metadata()
                        .modelName()
                        .orElse(model.directory().getFileName().toString()),
                model.metadata().modelVersion().orElse("unversioned"));
        this.redaction = ServiceWiring.redactionRules(settings.redaction());
        this.publisher = publisher;
        this.metrics = metrics;
        this.decoders = new DecoderPool(
                settings.decoder().workers(),
                model.batcher().isPresent() ? settings.decoder().batching().maxBatch() : 0);
        this.admission = new LegAdmission(settings.limits().maxLegs());
        metrics.gauge("captioner_active_calls", "Calls being captioned", calls::size);
        metrics.gauge("captioner_active_legs", "Call legs being captioned", admission::activeLegs);
    }

    /** The connector whose calls this service captions (it calls this service back as its listener). */
    public void attach(AsteriskConnector value) {
        this.connector = value;
    }

    /**
     * A recognizer's source of calls instead of a connector; its readiness checks: whether it reads, and whether it
     * keeps up with the tappers.
     */
    public void attachAudioTopic(BooleanSupplier reading, BooleanSupplier keepingUp) {
        this.audioTopicReading = reading;
        this.audioTopicKeepingUp = keepingUp;
    }

    /** No captions for this leg: its tap is released, so Asterisk stops sending audio nobody decodes. */
    private void refuse(TappedLeg leg, String reason) {
        admission.refused(leg.callId(), leg.legId());
        AsteriskConnector tapping = connector;
        if (tapping != null) {
            tapping.releaseLeg(leg, reason);
        }
    }

    // ---- CallListener: called in order on the connector's worker context ----

    @Override
    public void onCallStarted(CallInfo call) {
        CallCaptioner earlier = calls.get(call.callId());
        if (earlier != null) {
            // a restarted tapper found the call in progress and starts it again: the earlier run's legs publish
            // what they heard and say that audio is missing; the new run's events follow
            log.warn(
                    "call {} started again (a tapper restarted): its legs' audio until they are tapped again is lost",
                    call.callId());
            earlier.interrupt(
                    LegError.STREAM_BROKEN,
                    "the tapper restarted: this leg's audio is missing until it is tapped again (the call's next"
                            + " CALL_STARTED)");
        }
        metrics.callsTotal.inc();
        CallEventFactory events = new CallEventFactory(call.callId(), call.startedAt(), modelInfo, clock, redaction);
        CallCaptioner captioner = new CallCaptioner(
                call,
                events,
                this::publish,
                new CallCaptioner.Hotwords(List.of(), settings.decoder().hotwordBoost()),
                () -> calls.remove(call.callId()));
        calls.put(call.callId(), captioner);
        publish(events.callStarted(
                call.callerNumber(),
                call.calleeNumber(),
                call.legs().stream()
                        .map(leg -> new LegInfo(leg.legId(), ServiceWiring.eventRole(leg.role()), leg.channel()))
                        .toList()));
        log.info("call {} started: {} -> {}", call.callId(), call.callerNumber(), call.calleeNumber());
    }

    /** The dialplan can bias a call's recognition: {@code Set(CAPTION_HOTWORDS=acme premium,order number)}. */
    @Override
    public void onCallVariable(CallInfo call, String name, String value) {
        if (!name.equals(settings.captioning().hotwordsVariable()) || value.isBlank()) {
            return;
        }
        List<String> phrases = java.util.Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .toList();
        try {
            setHotwords(call.callId(), phrases, settings.decoder().hotwordBoost());
        } catch (IllegalArgumentException e) {
            log.warn("call {}: hotwords from {} ignored: {}", call.callId(), name, e.getMessage());
        }
    }

    @Override
    public void onLegTapped(TappedLeg leg) {
        CallCaptioner call = calls.get(leg.callId());
        if (call == null) {
            log.warn("leg {} tapped for unknown call {}", leg.legId(), leg.callId());
            return;
        }
        if (!admission.admit()) {
            metrics.legsRefused.inc();
            log.warn(
                    "leg {} of call {} refused: {} legs are being captioned (limits.maxLegs)",
                    leg.legId(),
                    leg.callId(),
                    admission.maxLegs());
            publish(call.events()
                    .legError(
                            leg.legId(),
                            ServiceWiring.eventRole(leg.role()),
                            LegError.OVERLOAD_REFUSED,
                            "not captioned: the service is at its limit of " + admission.maxLegs() + " legs"));
            refuse(leg, "refused: limits.maxLegs reached");
            return;
        }
        metrics.legsTotal.inc();
        CallCaptioner.Hotwords hotwords = call.hotwords();
        StreamingRecognizer recognizer;
        try {
            recognizer = model.newRecognizer(
                    decodeOptions.toBuilder()
                            .hotwords(hotwords.phrases())
                            .hotwordBoost(hotwords.boost())
                            .build(),
                    leg.callId() + "/" + leg.legId());
        } catch (RuntimeException e) {
            admission.release();
            metrics.legErrors.inc();
            log.error("leg {} of call {} cannot be captioned: {}", leg.legId(), leg.callId(), e.getMessage());
            publish(call.events()
                    .legError(
                            leg.legId(),
                            ServiceWiring.eventRole(leg.role()),
                            LegError.DECODER_FAILED,
                            String.valueOf(e.getMessage())));
            refuse(leg, "refused: no recognizer");
            return;
        }
        long legOffsetMs = Math.max(
                0, Duration.between(call.call().startedAt(), clock.instant()).toMillis());
        call.addLeg(new LegCaptioner(
                leg,
                recognizer,
                call.events(),
                call::publish,
                decoders.executor(),
                metrics,
                settings.limits(),
                legOffsetMs,
                settings.redaction().holdAcrossFinals(),
                () -> {
                    admission.release();
                    call.legFinished();
                }));
        log.info("captioning leg {} ({}) of call {}", leg.legId(), leg.role(), leg.callId());
    }

    @Override
    public void onAudio(TappedLeg leg, AudioFrame frame) {
        LegCaptioner captioner = legCaptioner(leg);
        if (captioner != null) {
            captioner.accept(frame);
        }
    }

    @Override
    public void onLegPaused(TappedLeg leg) {
        log.info("leg {} of call {} on hold", leg.legId(), leg.callId());
    }

    @Override
    public void onLegResumed(TappedLeg leg) {
        log.info("leg {} of call {} resumed", leg.legId(), leg.callId());
    }

    @Override
    public void onDtmf(TappedLeg leg, char digit) {
        metrics.dtmfDigits.inc();
        // the digit itself is never logged: callers key in card numbers and PINs
        log.info("DTMF on leg {} of call {}", leg.legId(), leg.callId());
    }

    @Override
    public void onLegEnded(TappedLeg leg, String reason) {
        if (admission.isRefused(leg.legId())) {
            return;
        }
        LegCaptioner captioner = legCaptioner(leg);
        if (captioner != null) {
            captioner.end(reason);
        }
    }

    @Override
    public void onTapFailed(TappedLeg leg, String reason, int attempts) {
        CallCaptioner call = calls.get(leg.callId());
        log.warn("tap of leg {} of call {} failed after {} attempts: {}", leg.legId(), leg.callId(), attempts, reason);
        if (call != null) {
            publish(call.events()
                    .legError(
                            leg.legId(),
                            ServiceWiring.eventRole(leg.role()),
                            LegError.TAP_FAILED,
                            reason + " (after " + attempts + " attempts)"));
        }
    }

    @Override
    public void onCallEnded(CallInfo info, String reason) {
        admission.callEnded(info.callId());
        CallCaptioner call = calls.get(info.callId());
        if (call != null) {
            call.end(reason);
        }
        log.info("call {} ended: {}", info.callId(), reason);
    }

    /**
     * Another instance captions the call from now on (its partition moved to another recognizer): its legs stop
     * decoding and nothing more of it is published, not even the end of the call.
     */
    public void abandonCall(String callId) {
        CallCaptioner call = calls.remove(callId);
        if (call != null) {
            admission.callEnded(callId);
            call.abandon();
            log.info("call {} handed over to another instance", callId);
        }
    }

    /** The most audio any leg of the call has waiting to be decoded, in ms (0 for a call not captioned here). */
    public long backlogMs(String callId) {
        CallCaptioner call = calls.get(callId);
        return call == null ? 0 : call.backlogMs();
    }

    /** Whether the call's captions are still being made (its call-ended event not yet published). */
    public boolean isCaptioning(String callId) {
        return calls.containsKey(callId);
    }

    private LegCaptioner legCaptioner(TappedLeg leg) {
        CallCaptioner call = calls.get(leg.callId());
        return call == null ? null : call.leg(leg.legId());
    }

    private void publish(StreamEvent event) {
        publisher.publish(event);
        liveFeed.publish(event);
    }

    // ---- ServiceControl: the HTTP API ----

    @Override
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        AsteriskConnector c = connector;
        BooleanSupplier reading = audioTopicReading;
        if (reading != null) {
            checks.put("audioTopicReading", reading.getAsBoolean());
            checks.put("audioTopicKeepingUp", audioTopicKeepingUp.getAsBoolean());
        } else {
            checks.put("managerConnected", c != null && c.isManagerConnected());
        }
        checks.put("kafkaReachable", publisher.isReady());
        checks.put("modelLoaded", model != null);
        return checks;
    }

    @Override
    public List<Map<String, Object>> activeCalls() {
        AsteriskConnector c = connector;
        return c == null ? List.of() : ActiveCallsView.of(c.activeCalls(), calls::get, admission::isRefused);
    }

    @Override
    public boolean setHotwords(String callId, List<String> phrases, double boost) {
        ContextGraph.build(
                phrases,
                model.units(),
                boost); // throws IllegalArgumentException naming a phrase the model cannot spell
        CallCaptioner call = calls.get(callId);
        if (call == null) {
            return false;
        }
        call.setHotwords(new CallCaptioner.Hotwords(List.copyOf(phrases), boost));
        log.info("hotwords of call {} set: {} phrases, boost {}", callId, phrases.size(), boost);
        return true;
    }

    @Override
    public double defaultHotwordBoost() {
        return settings.decoder().hotwordBoost();
    }

    @Override
    public Future<Boolean> requestCaptioning(String callId) {
        AsteriskConnector c = connector;
        return c == null ? Future.succeededFuture(false) : c.requestCaptioning(callId);
    }

    @Override
    public Runnable subscribeEvents(Consumer<String> listener) {
        return liveFeed.subscribe(listener);
    }

    @Override
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** Waits for the calls' captions to finish (after the connector stopped), then stops decoding. */
    public boolean awaitCallsEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean stopped = decoders.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return calls.isEmpty() && stopped;
    }
}
