package io.captioner.service;

import io.captioner.connector.AsteriskConnector;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the HTTP API shows of a tapper: its calls and taps. Captions are made by the recognizers, so there is
 * nothing for the live page, and hotwords reach the recognizers through the dialplan variable only.
 */
final class TapperControl implements ServiceControl {
    private final AsteriskConnector connector;
    private final ServiceMetrics metrics;

    TapperControl(AsteriskConnector connector, ServiceMetrics metrics) {
        this.connector = connector;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("managerConnected", connector.isManagerConnected());
        return checks;
    }

    @Override
    public List<Map<String, Object>> activeCalls() {
        return ActiveCallsView.of(connector.activeCalls(), callId -> null, legId -> false);
    }

    /** A tapper captions nothing: the call is unknown here (the dialplan variable carries hotwords to recognizers). */
    @Override
    public boolean setHotwords(String callId, List<String> phrases, double boost) {
        return false;
    }

    @Override
    public double defaultHotwordBoost() {
        return 0;
    }

    @Override
    public Future<Boolean> requestCaptioning(String callId) {
        return connector.requestCaptioning(callId);
    }

    @Override
    public Runnable subscribeEvents(Consumer<String> listener) {
        return () -> {};
    }

    @Override
    public ServiceMetrics metrics() {
        return metrics;
    }
}
