package dev.epochstream.learner.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Key/value configuration as written (a properties file plus {@code --key value} overrides), with typed
 * accessors that report a bad value as a {@link ConfigException} naming the key and the fix.
 */
public final class RawConfig {
    private final Map<String, String> values;

    public RawConfig(Map<String, String> values) {
        Map<String, String> trimmed = new TreeMap<>();
        values.forEach((k, v) -> trimmed.put(k.trim(), v == null ? null : v.trim()));
        this.values = Collections.unmodifiableMap(trimmed);
    }

    /** Reads a properties file and applies overrides on top (later wins). */
    public static RawConfig load(Path file, Map<String, String> overrides) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config", "file not found: " + file + " (give the path of a .properties file)");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            m.put(name, p.getProperty(name));
        }
        m.putAll(overrides);
        return new RawConfig(m);
    }

    public static RawConfig of(Map<String, String> values) {
        return new RawConfig(values);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(ConfigKey key) {
        String v = values.get(key.name());
        return v != null && !v.isEmpty();
    }

    /** The value, else the key's default; a missing required key is an error. */
    public String string(ConfigKey key) {
        String v = values.get(key.name());
        if (v == null || v.isEmpty()) {
            if (key.required()) {
                throw new ConfigException(key.name(), "is required: " + key.doc());
            }
            return key.defaultValue();
        }
        return v;
    }

    public String choice(ConfigKey key, Collection<String> allowed) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        String n = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(n)) {
            throw new ConfigException(key.name(), "unknown value '" + v + "': use one of " + String.join("|", allowed));
        }
        return n;
    }

    public int intValue(ConfigKey key, int min, int max) {
        String v = string(key);
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(key.name(), "'" + v + "' is not an integer: give a whole number in ["
                    + min + ", " + max + "]");
        }
        if (x < min || x > max) {
            throw new ConfigException(key.name(), "must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    public long longValue(ConfigKey key, long min, long max) {
        String v = string(key);
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(key.name(), "'" + v + "' is not an integer: give a whole number in ["
                    + min + ", " + max + "]");
        }
        if (x < min || x > max) {
            throw new ConfigException(key.name(), "must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    /** A finite double, or NaN when the key is absent and has no default. */
    public double doubleValue(ConfigKey key) {
        String v = string(key);
        if (v == null) {
            return Double.NaN;
        }
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key.name(), "'" + v + "' is not a number");
        }
        if (!Double.isFinite(x)) {
            throw new ConfigException(key.name(), "must be a finite number, got " + v);
        }
        return x;
    }

    /** A double in [min, max] (inclusive bounds unless the open flags say otherwise). */
    public double doubleValue(ConfigKey key, double min, boolean minOpen, double max, boolean maxOpen) {
        double x = doubleValue(key);
        boolean below = minOpen ? !(x > min) : !(x >= min);
        boolean above = maxOpen ? !(x < max) : !(x <= max);
        if (below || above) {
            throw new ConfigException(key.name(), "must be in " + (minOpen ? "(" : "[") + fmt(min) + ", "
                    + fmt(max) + (maxOpen ? ")" : "]") + ", got " + string(key));
        }
        return x;
    }

    public boolean booleanValue(ConfigKey key) {
        String v = string(key);
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw new ConfigException(key.name(), "'" + v + "' is not a boolean: use true or false");
    }

    /** A duration, or null when absent with no default or written as "off". */
    public Duration duration(ConfigKey key) {
        String v = string(key);
        if (v == null || v.equalsIgnoreCase("off")) {
            return null;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name(), e.getMessage());
        }
    }

    /**
     * Refuses keys that no component knows, suggesting the nearest known name: a typo must not
     * silently fall back to a default. Keys under one of {@code passThroughPrefixes} are accepted as is.
     */
    public void rejectUnknown(Collection<ConfigKey> known, Collection<String> passThroughPrefixes) {
        for (String name : values.keySet()) {
            if (passThroughPrefixes.stream().anyMatch(name::startsWith)) {
                continue;
            }
            if (known.stream().noneMatch(k -> k.name().equals(name))) {
                String nearest = null;
                int best = Integer.MAX_VALUE;
                for (ConfigKey k : known) {
                    int d = editDistance(name, k.name());
                    if (d < best) {
                        best = d;
                        nearest = k.name();
                    }
                }
                String hint = nearest != null && best <= Math.max(3, name.length() / 3)
                        ? "did you mean '" + nearest + "'?" : "remove it (see README.md, Configuration)";
                throw new ConfigException(name, "unknown configuration key: " + hint);
            }
        }
    }

    /** The Levenshtein distance of two names (for "did you mean" hints). */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String fmt(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
