package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.model.ModelLoadException;
import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings that cannot work stop startup with the key and the reason, before any call is touched. */
class StartupValidationTest {
    private static ServiceSettings settings(Map<String, String> values) {
        return ServiceSettings.from(Config.of(values), ServiceHarness.HOME);
    }

    @Test
    void decoderOptionsThatDoNotFitTheModelNameTheSection() {
        // the shipped model keeps all history: a left-chunk limit needs an export made with one
        ServiceSettings s =
                settings(Map.of("decoder.leftChunks", "4", "kafka.bootstrap", "127.0.0.1:1", "http.port", "0"));
        ConfigException e =
                assertThrows(ConfigException.class, () -> CaptionerApp.start(s).close());
        assertTrue(e.getMessage().contains("decoder: ") && e.getMessage().contains("left chunks 4"), e.getMessage());
    }

    @Test
    void aBusyPortNamesItsKeyAddressAndPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServiceSettings s = settings(
                    Map.of("kafka.bootstrap", "127.0.0.1:1", "http.port", String.valueOf(busy.getLocalPort())));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> CaptionerApp.start(s).close());
            assertEquals("http.port " + busy.getLocalPort() + " on 127.0.0.1 is already in use", e.getMessage());
        }
    }

    @Test
    void aMissingModelNamesItsDirectory() {
        ServiceSettings s = settings(Map.of("model.dir", "models/no-such-model"));
        ModelLoadException e = assertThrows(
                ModelLoadException.class, () -> CaptionerApp.start(s).close());
        assertTrue(
                e.getMessage().contains("models/no-such-model")
                        && e.getMessage().contains("does not exist"),
                e.getMessage());
    }
}
