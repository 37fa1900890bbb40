package dev.epochstream.cli;

import dev.epochstream.job.JobKeys;
import dev.epochstream.learner.config.ConfigKey;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a command: a properties file plus {@code --key value} (or {@code --key=value})
 * overrides of any documented key. Unknown keys are refused with the nearest known name.
 */
final class ConfigOptions {
    private ConfigOptions() {
    }

    static List<ConfigKey> knownKeys() {
        List<ConfigKey> all = new ArrayList<>(TrainingKeys.ALL);
        all.addAll(JobKeys.ALL);
        return all;
    }

    static RawConfig load(Path file, List<String> overrideArgs) {
        RawConfig raw = RawConfig.load(file, parseOverrides(overrideArgs));
        raw.rejectUnknown(knownKeys(), List.of(JobKeys.KAFKA_PREFIX, JobKeys.FLINK_PREFIX));
        return raw;
    }

    static Map<String, String> parseOverrides(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null) {
            return out;
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new Main.UsageException("unexpected argument '" + a + "': overrides are written --key value, e.g. --optimizer.lr 0.01");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                out.put(name.substring(0, eq), name.substring(eq + 1));
            } else {
                if (i + 1 >= args.size()) {
                    throw new Main.UsageException("option '" + a + "' needs a value, e.g. " + a + " VALUE");
                }
                out.put(name, args.get(++i));
            }
        }
        return out;
    }
}
