package io.captioner.service;

import io.captioner.connector.CallSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** The calls the connector tracks as the HTTP API shows them: JSON-ready maps. */
final class ActiveCallsView {
    private ActiveCallsView() {}

    /**
     * @param captioners the captioner of a call id, or null when it is not captioned
     * @param refused    whether the service refused to caption a leg id (its state reads "refused")
     */
    static List<Map<String, Object>> of(
            List<CallSnapshot> calls, Function<String, CallCaptioner> captioners, Predicate<String> refused) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallSnapshot call : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callId", call.callId());
            m.put("callerNumber", call.callerNumber());
            m.put("calleeNumber", call.calleeNumber());
            m.put("startedAt", call.startedAt().toString());
            m.put("captioned", call.captioned());
            CallCaptioner captioner = captioners.apply(call.callId());
            if (captioner != null) {
                m.put("hotwords", captioner.hotwords().phrases());
            }
            List<Map<String, Object>> legs = new ArrayList<>();
            for (CallSnapshot.LegSnapshot leg : call.legs()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("legId", leg.legId());
                l.put("channel", leg.channel());
                l.put("role", ServiceWiring.eventRole(leg.role()).name());
                l.put("sampleRate", leg.sampleRate());
                l.put("state", refused.test(leg.legId()) ? "refused" : leg.state());
                legs.add(l);
            }
            m.put("legs", legs);
            out.add(m);
        }
        return out;
    }
}
