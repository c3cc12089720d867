package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.asr.AsrModel;
import io.captioner.asr.search.LanguageModelFusion;
import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import io.captioner.connector.ConnectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSettingsTest {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shippedConfigurationFileIsValidAndHoldsTheDefaults() {
        ServiceSettings fromFile =
                ServiceSettings.from(Config.load(HOME.resolve("config/captioner.yaml"), Map.of()), HOME);
        ServiceSettings defaults = ServiceSettings.from(Config.of(Map.of()), HOME);
        assertEquals(defaults.toString(), fromFile.toString(), "config/captioner.yaml documents the defaults");
        assertEquals(HOME.resolve("models/u2pp-moe-telephony"), fromFile.model().dir());
        assertEquals(ServiceSettings.Policy.ALL_BRIDGED, fromFile.captioning().policy());
        assertEquals(List.of("127.0.0.1"), fromFile.audioSocket().allowedSources());
    }

    @Test
    void environmentOverridesReachTheSettings() {
        ServiceSettings s = ServiceSettings.from(
                Config.load(
                        HOME.resolve("config/captioner.yaml"),
                        Map.of(
                                "CAPTIONER_AMI_SECRET",
                                "tapsecret",
                                "CAPTIONER_LIMITS_MAXLEGS",
                                "8",
                                "CAPTIONER_KAFKA_PROPERTIES_SECURITY_PROTOCOL",
                                "SASL_SSL")),
                HOME);
        assertEquals("tapsecret", s.ami().secret().reveal());
        assertFalse(s.toString().contains("tapsecret"), "secrets never print");
        assertEquals(8, s.limits().maxLegs());
        assertEquals(Map.of("security.protocol", "SASL_SSL"), s.kafka().properties());
    }

    @Test
    void badValuesStopStartupNamingKeyAndReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                ami:
                  port: 99999
                captioning:
                  policy: contexts
                limits:
                  partialBacklog: 40s
                kafka:
                  partialsTopic: captions
                  topik: typo
                model:
                  executionProvider: tpu
                decoder:
                  lm:
                    file: models/no-such-lm.arpa
                    weight: 11
                  batching:
                    maxBatch: 0
                    maxWait: 2s
                redaction:
                  patterns:
                    member id: "member \\\\w+"
                    PIN: "pin ("
                cluster:
                  role: transcoder
                  audioTopic: captions
                  recordAudio: 5s
                """);
        ConfigException e =
                assertThrows(ConfigException.class, () -> ServiceSettings.from(Config.load(file, Map.of()), HOME));
        String m = e.getMessage();
        assertTrue(m.contains("ami.port: must be between 1 and 65535, got 99999 (" + file + ")"), m);
        assertTrue(m.contains("captioning.contexts: policy 'contexts' needs at least one dialplan context"), m);
        assertTrue(m.contains("limits.maxBacklog: must be longer than limits.partialBacklog"), m);
        assertTrue(m.contains("kafka.partialsTopic: must differ from kafka.topic"), m);
        assertTrue(m.contains("kafka.topik: unknown key"), m);
        assertTrue(
                m.contains("decoder.lm.file: no such file: "
                        + HOME.resolve("models/no-such-lm.arpa").normalize()),
                m);
        assertTrue(m.contains("decoder.lm.weight: must be between 0"), m);
        assertTrue(m.contains("decoder.batching.maxBatch: must be between 1 and 1024, got 0"), m);
        assertTrue(m.contains("decoder.batching.maxWait: must be at most 1s"), m);
        assertTrue(m.contains("model.executionProvider: must be one of [auto, cpu, cuda], got 'tpu'"), m);
        assertTrue(m.contains("redaction.patterns.member id: the label must be upper-case letters"), m);
        assertTrue(m.contains("redaction.patterns.PIN: not a regular expression: pin ("), m);
        assertTrue(m.contains("cluster.role: must be one of [all-in-one, tapper, recognizer], got 'transcoder'"), m);
        assertTrue(m.contains("cluster.audioTopic: must differ from kafka.topic"), m);
        assertTrue(m.contains("cluster.recordAudio: must be between 20ms"), m);
    }

    @Test
    void durationsAndChoicesParse() {
        ServiceSettings s = ServiceSettings.from(
                Config.of(Map.of(
                        "tap.noAudioTimeout",
                        "1500ms",
                        "tap.silenceAfter",
                        "120ms",
                        "captioning.policy",
                        "channel-variable",
                        "captioning.variable",
                        "TRANSCRIBE=on")),
                HOME);
        assertEquals(Duration.ofMillis(1500), s.tap().noAudioTimeout());
        assertEquals(
                Duration.ofMillis(120), ServiceWiring.connectorSettings(s).silenceAfter(), "reaches the connector");
        assertEquals(ConnectorSettings.builder().build().tapAttempts(), s.tap().attempts(), "the connector's defaults");
        assertEquals(ServiceSettings.Policy.CHANNEL_VARIABLE, s.captioning().policy());
    }

    @Test
    void theLanguageModelIsTheModelDirectorysUnlessConfiguredOtherwise() {
        ServiceSettings defaults = ServiceSettings.from(Config.of(Map.of()), HOME);
        assertEquals(
                AsrModel.LanguageModelSource.MODEL_DIRECTORY,
                ServiceWiring.languageModelSource(defaults.decoder().lm()));
        assertEquals(
                LanguageModelFusion.Weights.DEFAULTS,
                ServiceWiring.decodeOptions(defaults.decoder()).languageModel());
        ServiceSettings off = ServiceSettings.from(
                Config.of(Map.of("decoder.lm.enabled", "false", "decoder.lm.weight", "0.8")), HOME);
        assertEquals(
                AsrModel.LanguageModelSource.NONE,
                ServiceWiring.languageModelSource(off.decoder().lm()));
        assertEquals(
                0.8, ServiceWiring.decodeOptions(off.decoder()).languageModel().weight());
    }
}
