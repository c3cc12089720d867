package io.captioner.service;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the HTTP API reads from and asks of the running service. */
public interface ServiceControl {
    /** Named readiness checks (manager connected, Kafka reachable, model loaded): true = ready. */
    Map<String, Boolean> readiness();

    /** The calls being tracked, as JSON-ready maps (call id, numbers, state, legs with roles). */
    List<Map<String, Object>> activeCalls();

    /** Sets the hotwords of a call's legs, now and for legs tapped later; false if the call is unknown. */
    boolean setHotwords(String callId, List<String> phrases, double boost);

    /** The boost of hotwords that come without one ({@code decoder.hotwordBoost}). */
    double defaultHotwordBoost();

    /** Starts captioning a call under the on-request policy; false if the call is unknown. */
    Future<Boolean> requestCaptioning(String callId);

    /** Subscribes to every caption event as the JSON that goes to Kafka; returns the unsubscribe action. */
    Runnable subscribeEvents(Consumer<String> listener);

    ServiceMetrics metrics();
}
