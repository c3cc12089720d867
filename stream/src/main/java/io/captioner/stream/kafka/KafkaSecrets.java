package io.captioner.stream.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Hides secret client properties (SASL JAAS config, passwords, keys, tokens) before anything is logged. */
public final class KafkaSecrets {
    public static final String MASK = "[hidden]";

    private KafkaSecrets() {}

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("jaas")
                || k.contains("password")
                || k.contains("secret")
                || k.contains("token")
                || k.endsWith(".key")
                || k.contains("keystore.key")
                || k.contains("credentials");
    }

    /** A sorted copy with secret values replaced by {@link #MASK}. */
    public static Map<String, String> masked(Map<String, ?> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : String.valueOf(v)));
        return out;
    }
}
