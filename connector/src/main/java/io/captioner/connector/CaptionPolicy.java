package io.captioner.connector;

import java.util.Objects;
import java.util.Set;

/**
 * Which calls get captioned.
 *
 * @param mode          the rule
 * @param contexts      for {@link Mode#CONTEXTS}: dialplan contexts; a call qualifies when any of its channels is in one
 * @param variableName  for {@link Mode#CHANNEL_VARIABLE}: the variable (e.g. {@code CAPTION})
 * @param variableValue for {@link Mode#CHANNEL_VARIABLE}: the value that switches captioning on (e.g. {@code yes})
 */
public record CaptionPolicy(Mode mode, Set<String> contexts, String variableName, String variableValue) {

    public enum Mode {
        /** Every call with a bridged pair of parties. */
        ALL_BRIDGED,
        /** Calls with a channel in one of the listed dialplan contexts. */
        CONTEXTS,
        /** Calls where the dialplan set a channel variable to a value (AMI VarSet, needs read=dialplan). */
        CHANNEL_VARIABLE,
        /** Only calls named through {@link AsteriskConnector#requestCaptioning(String)}. */
        ON_REQUEST
    }

    public CaptionPolicy {
        Objects.requireNonNull(mode, "caption policy mode");
        contexts = contexts == null ? Set.of() : Set.copyOf(contexts);
        if (mode == Mode.CONTEXTS && contexts.isEmpty()) {
            throw new IllegalArgumentException("caption policy CONTEXTS needs at least one context");
        }
        if (mode == Mode.CHANNEL_VARIABLE
                && (variableName == null || variableName.isBlank() || variableValue == null)) {
            throw new IllegalArgumentException(
                    "caption policy CHANNEL_VARIABLE needs a variable name and value, e.g. CAPTION=yes");
        }
    }

    public static CaptionPolicy allBridged() {
        return new CaptionPolicy(Mode.ALL_BRIDGED, Set.of(), null, null);
    }

    public static CaptionPolicy contexts(Set<String> contexts) {
        return new CaptionPolicy(Mode.CONTEXTS, contexts, null, null);
    }

    public static CaptionPolicy channelVariable(String name, String value) {
        return new CaptionPolicy(Mode.CHANNEL_VARIABLE, Set.of(), name, value);
    }

    public static CaptionPolicy onRequest() {
        return new CaptionPolicy(Mode.ON_REQUEST, Set.of(), null, null);
    }
}
