package io.captioner.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The service configuration: one YAML file flattened to dotted keys ({@code ami.port}), overridden
 * by environment variables ({@code CAPTIONER_AMI_PORT}; dots become underscores, case is ignored).
 *
 * <p>Typed getters never throw: each records a problem naming the key, the reason and the source of
 * the value, and {@link #validate()} reports them all at once, together with keys nobody read
 * (usually typos), so a bad configuration stops startup with one clear message.
 */
public final class Config {
    public static final String ENV_PREFIX = "CAPTIONER_";
    /** The launcher's own variables (the home, the configuration file, the JVM's options): not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES =
            Set.of("CAPTIONER_HOME", "CAPTIONER_CONFIG", "CAPTIONER_JAVA_OPTS");

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private record Entry(String value, String source) {}

    private final Map<String, Entry> entries;
    private final Set<String> readKeys = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    private Config(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Loads {@code yamlFile} (may be null for defaults only) and applies the environment overrides. */
    public static Config load(Path yamlFile, Map<String, String> environment) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (yamlFile != null) {
            readYaml(yamlFile, entries);
        }
        applyEnvironment(environment, entries);
        return new Config(entries);
    }

    /** A configuration from literal key/value pairs (tests, embedded use). */
    public static Config of(Map<String, String> values) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        values.forEach((k, v) -> entries.put(k, new Entry(v, "given values")));
        return new Config(entries);
    }

    private static void readYaml(Path file, Map<String, Entry> entries) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the configuration file (" + e.getMessage() + ")"));
        } catch (YAMLException e) {
            throw new ConfigException(
                    List.of(file + ": not valid YAML: " + e.getMessage().replace('\n', ' ')));
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(
                    List.of(file + ": the top level must be a mapping of keys, found " + typeName(root)));
        }
        flatten("", map, file.toString(), entries);
    }

    private static void flatten(String prefix, Map<?, ?> map, String source, Map<String, Entry> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> child) {
                flatten(key + ".", child, source, out);
            } else if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object item : list) {
                    items.add(String.valueOf(item));
                }
                out.put(key, new Entry(String.join(",", items), source));
            } else if (value != null) {
                out.put(key, new Entry(String.valueOf(value), source));
            }
        }
    }

    private static void applyEnvironment(Map<String, String> environment, Map<String, Entry> entries) {
        environment.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
                return;
            }
            String normalized = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            String key = entries.keySet().stream()
                    .filter(k -> envName(k).equals(normalized))
                    .findFirst()
                    .orElse(normalized.replace('_', '.'));
            entries.put(key, new Entry(value, "environment variable " + name));
        });
    }

    private static String envName(String key) {
        return key.replace('.', '_').replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** The environment variable that overrides {@code key}. */
    public static String environmentVariable(String key) {
        return ENV_PREFIX + key.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
    }

    private Entry lookup(String key) {
        readKeys.add(key);
        Entry direct = entries.get(key);
        if (direct != null) {
            return direct;
        }
        // An environment override of a key absent from the file arrives with underscores as dots,
        // lower-cased; match it against the camelCase key that the code asks for.
        String wanted = envName(key);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().source().startsWith("environment")
                    && envName(e.getKey()).equals(wanted)) {
                readKeys.add(e.getKey());
                return e.getValue();
            }
        }
        return null;
    }

    public boolean has(String key) {
        return lookup(key) != null;
    }

    public String string(String key, String defaultValue) {
        Entry e = lookup(key);
        return e == null ? defaultValue : e.value().trim();
    }

    public String requiredString(String key) {
        Entry e = lookup(key);
        if (e == null || e.value().isBlank()) {
            problems.add(key + ": required, but not set (set it in the file or " + environmentVariable(key) + ")");
            return "";
        }
        return e.value().trim();
    }

    /**
     * A file path, relative ones resolved against {@code base}; null when the value (or the default) is empty.
     * A value that cannot be a path on this system is a problem of {@code key}.
     */
    public Path path(String key, Path base, String defaultValue) {
        String v = string(key, defaultValue);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return base.resolve(v).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(key + ": not a file path: " + e.getMessage());
            return defaultValue.isEmpty() ? null : base.resolve(defaultValue).normalize();
        }
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return ranged(key, defaultValue, min, max, Integer::valueOf, "an integer");
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        return ranged(key, defaultValue, min, max, Double::valueOf, "a number");
    }

    private <T extends Comparable<T>> T ranged(
            String key, T defaultValue, T min, T max, Function<String, T> parse, String kind) {
        Entry e = lookup(key);
        if (e == null) {
            return defaultValue;
        }
        T v;
        try {
            v = parse.apply(e.value().trim());
        } catch (NumberFormatException ex) {
            problems.add(key + ": must be " + kind + ", got '" + e.value() + "' (" + e.source() + ")");
            return defaultValue;
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            problems.add(key + ": must be between " + min + " and " + max + ", got " + v + " (" + e.source() + ")");
            return defaultValue;
        }
        return v;
    }

    public boolean bool(String key, boolean defaultValue) {
        Entry e = lookup(key);
        if (e == null) {
            return defaultValue;
        }
        String v = e.value().trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                problems.add(key + ": must be true or false, got '" + e.value() + "' (" + e.source() + ")");
                return defaultValue;
        }
    }

    /** Durations are written {@code 250ms}, {@code 5s}, {@code 2m} or {@code 1h}. */
    public Duration duration(String key, Duration defaultValue) {
        Entry e = lookup(key);
        if (e == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(e.value().trim());
        if (!m.matches()) {
            problems.add(key + ": must be a duration such as 250ms, 5s, 2m or 1h, got '" + e.value() + "' ("
                    + e.source() + ")");
            return defaultValue;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    public <E extends Enum<E>> E choice(String key, E defaultValue) {
        Entry e = lookup(key);
        if (e == null) {
            return defaultValue;
        }
        String wanted = e.value().trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problems.add(key + ": must be one of " + names + ", got '" + e.value() + "' (" + e.source() + ")");
        return defaultValue;
    }

    /** A comma-separated list (YAML lists are joined with commas). */
    public List<String> list(String key, List<String> defaultValue) {
        Entry e = lookup(key);
        if (e == null) {
            return defaultValue;
        }
        List<String> items = new ArrayList<>();
        for (String part : e.value().split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }

    /**
     * A secret from {@code key} (best set through the environment) or from the file named by
     * {@code key + "File"}; the value is never part of any message.
     */
    public Secret secret(String key) {
        Entry fileEntry = lookup(key + "File");
        Entry direct = lookup(key);
        if (fileEntry != null) {
            Path path = Path.of(fileEntry.value().trim());
            try {
                return new Secret(Files.readString(path).strip());
            } catch (IOException ex) {
                problems.add(key + "File: cannot read the secret file " + path + " ("
                        + ex.getClass().getSimpleName() + ")");
                return new Secret("");
            }
        }
        return new Secret(direct == null ? "" : direct.value());
    }

    /** All values under {@code prefix.} as a map with the prefix removed (pass-through client properties). */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getKey().startsWith(p)) {
                readKeys.add(e.getKey());
                out.put(e.getKey().substring(p.length()), e.getValue().value());
            }
        }
        return out;
    }

    /** Records a problem found by the caller's own cross-field check. */
    public void check(boolean ok, String key, String reason) {
        if (!ok) {
            Entry e = entries.get(key);
            problems.add(key + ": " + reason + (e == null ? "" : " (" + e.source() + ")"));
        }
    }

    /** A reusable check for values such as host:port. */
    public String matching(String key, String defaultValue, Predicate<String> valid, String expectation) {
        String v = string(key, defaultValue);
        check(valid.test(v), key, expectation + ", got '" + v + "'");
        return v;
    }

    /** Throws one {@link ConfigException} listing every problem and every key nobody asked for. */
    public void validate() {
        List<String> all = new ArrayList<>(problems);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!readKeys.contains(e.getKey())) {
                all.add(e.getKey() + ": unknown key (" + e.getValue().source() + ")");
            }
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    private static String typeName(Object o) {
        return o instanceof List
                ? "a list"
                : "a " + o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
