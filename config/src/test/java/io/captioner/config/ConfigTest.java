package io.captioner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("captioner.yaml");
        Files.writeString(file, text);
        return file;
    }

    enum Policy {
        ALL_BRIDGED,
        ON_REQUEST
    }

    @Test
    void readsNestedKeysAndTypes() throws Exception {
        Config c = Config.load(yaml("""
                ami:
                  host: pbx.example
                  port: 5038
                decoder:
                  ctcWeight: 0.5
                  itn: yes
                tap:
                  noAudioTimeout: 3s
                  policy: on-request
                allow: [127.0.0.1, 10.0.0.5]
                """), Map.of());
        assertEquals("pbx.example", c.string("ami.host", "x"));
        assertEquals(5038, c.integer("ami.port", 1, 1, 65535));
        assertEquals(0.5, c.decimal("decoder.ctcWeight", 0, 0, 1));
        assertTrue(c.bool("decoder.itn", false));
        assertEquals(Duration.ofSeconds(3), c.duration("tap.noAudioTimeout", Duration.ZERO));
        assertEquals(Policy.ON_REQUEST, c.choice("tap.policy", Policy.ALL_BRIDGED));
        assertEquals(List.of("127.0.0.1", "10.0.0.5"), c.list("allow", List.of()));
        c.validate();
    }

    @Test
    void environmentOverridesFileAndCamelCaseKeys() throws Exception {
        Config c = Config.load(
                yaml("ami:\n  port: 5038\n"),
                Map.of(
                        "CAPTIONER_AMI_PORT",
                        "6000",
                        "CAPTIONER_AUDIOSOCKET_BINDHOST",
                        "0.0.0.0",
                        "PATH",
                        "/bin",
                        // the launcher's own variables are not keys (README: the log level through the JVM options)
                        "CAPTIONER_JAVA_OPTS",
                        "-Dcaptioner.log.level=DEBUG",
                        "CAPTIONER_HOME",
                        "/opt/captioner"));
        assertEquals(6000, c.integer("ami.port", 1, 1, 65535));
        assertEquals("0.0.0.0", c.string("audiosocket.bindHost", "127.0.0.1"));
        c.validate();
        assertEquals("CAPTIONER_AUDIOSOCKET_BINDHOST", Config.environmentVariable("audiosocket.bindHost"));
    }

    @Test
    void everyProblemNamesKeyReasonAndSource() throws Exception {
        Path file = yaml("ami:\n  port: seventy\n  hots: typo\ndecoder:\n  beam: 0\n");
        Config c = Config.load(file, Map.of("CAPTIONER_KAFKA_ACKS", "maybe"));
        c.integer("ami.port", 5038, 1, 65535);
        c.integer("decoder.beam", 10, 1, 100);
        c.bool("kafka.acks", true);
        c.requiredString("ami.username");
        ConfigException e = assertThrows(ConfigException.class, c::validate);
        List<String> p = e.problems();
        assertTrue(p.contains("ami.port: must be an integer, got 'seventy' (" + file + ")"), p.toString());
        assertTrue(p.contains("decoder.beam: must be between 1 and 100, got 0 (" + file + ")"), p.toString());
        assertTrue(
                p.contains(
                        "kafka.acks: must be true or false, got 'maybe' (environment variable CAPTIONER_KAFKA_ACKS)"),
                p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("ami.username: required")), p.toString());
        assertTrue(p.contains("ami.hots: unknown key (" + file + ")"), p.toString());
    }

    @Test
    void malformedYamlNamesTheFile() throws Exception {
        Path file = yaml("ami: [unclosed\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(file, Map.of()));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void secretsComeFromEnvironmentOrFileAndNeverPrint() throws Exception {
        Path secretFile = dir.resolve("ami.secret");
        Files.writeString(secretFile, "s3cr3t\n");
        Config c =
                Config.load(yaml("ami:\n  secretFile: " + secretFile + "\n"), Map.of("CAPTIONER_KAFKA_PASSWORD", "pw"));
        Secret ami = c.secret("ami.secret");
        assertEquals("s3cr3t", ami.reveal());
        assertEquals("****", ami.toString());
        assertEquals("pw", c.secret("kafka.password").reveal());
        c.validate();

        Config missing = Config.of(Map.of("ami.secretFile", dir.resolve("nope").toString()));
        missing.secret("ami.secret");
        ConfigException e = assertThrows(ConfigException.class, missing::validate);
        assertTrue(e.getMessage().contains("ami.secretFile: cannot read the secret file"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void sectionPassesClientPropertiesThrough() {
        Config c = Config.of(
                Map.of("kafka.properties.security.protocol", "SASL_SSL", "kafka.properties.sasl.mechanism", "PLAIN"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), c.section("kafka.properties"));
        c.validate();
    }

    @Test
    void badDurationAndChoiceAreReported() {
        Config c = Config.of(Map.of("t", "3 weeks", "p", "sometimes"));
        c.duration("t", Duration.ZERO);
        c.choice("p", Policy.ALL_BRIDGED);
        ConfigException e = assertThrows(ConfigException.class, c::validate);
        assertTrue(e.getMessage().contains("t: must be a duration"), e.getMessage());
        assertTrue(
                e.getMessage().contains("p: must be one of [all-bridged, on-request], got 'sometimes'"),
                e.getMessage());
    }
}
