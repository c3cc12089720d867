package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.config.Config;
import io.captioner.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.yaml.snakeyaml.Yaml;

/**
 * Whatever the configuration says, startup either gets its settings or stops with a {@link ConfigException}
 * that names the key (or the file) and the reason; nothing else escapes. More tries: {@code bench/fuzz/run.sh}.
 */
class ServiceSettingsFuzzTest {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> KEYS = shippedKeys();

    @Property
    void anyValueForAnyKey(@ForAll("keys") String key, @ForAll("values") String value) {
        try {
            ServiceSettings.from(Config.of(Map.of(key, value)), HOME);
        } catch (ConfigException e) {
            // the key itself, or one that depends on it (policy 'contexts' needs captioning.contexts)
            assertTrue(
                    e.problems().stream().allMatch(p -> p.matches("(?s)[A-Za-z0-9_.-]+: .+")),
                    key + "=" + value + ": each problem starts with the key it is about: " + e.problems());
        }
    }

    @Property
    void anyConfigurationFile(@ForAll("yamlText") String text) throws IOException {
        Path file = Files.createTempFile("captioner-fuzz", ".yaml");
        try {
            Files.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ServiceSettings.from(Config.load(file, Map.of()), HOME);
        } catch (ConfigException e) {
            assertTrue(
                    !e.problems().isEmpty() && e.problems().stream().allMatch(p -> p.contains(": ")),
                    "each problem says where and why: " + e.problems());
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of(KEYS),
                Arbitraries.strings().withChars("abc.xyz_").ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.of(
                        "",
                        "0",
                        "-1",
                        "1e309",
                        "NaN",
                        "99999999999",
                        "5s",
                        "-5s",
                        "0ms",
                        "PT1S",
                        "true",
                        "yes",
                        "[a",
                        "a,b",
                        "(",
                        "\\",
                        "contexts",
                        "all-bridged",
                        "127.0.0.1",
                        "::",
                        "0.0.0.0",
                        "A=",
                        "=b"));
    }

    @Provide
    Arbitrary<String> yamlText() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of(KEYS).flatMap(k -> values().map(v -> k.replace(".", ":\n  ") + ": " + v)),
                Arbitraries.strings().withChars("abc:-[]{}&*!|>'\"%@` \t#\n").ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(10));
        return line.list().ofMaxSize(5).map(lines -> String.join("\n", lines));
    }

    /** Every key of the shipped config/captioner.yaml, flattened (tap.attempts, ...). */
    private static List<String> shippedKeys() {
        try {
            Map<?, ?> root = new Yaml().load(Files.readString(HOME.resolve("config/captioner.yaml")));
            List<String> keys = new ArrayList<>();
            flatten("", root, keys);
            return keys;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, List<String> out) {
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> child) {
                flatten(prefix + k + ".", child, out);
            } else {
                out.add(prefix + k);
            }
        });
    }
}
