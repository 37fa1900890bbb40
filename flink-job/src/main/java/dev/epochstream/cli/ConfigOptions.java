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
import picocli.CommandLine;

/**
 * The configuration of a command: a properties file plus {@code --key value} (or {@code --key=value})
 * overrides of any documented key. Unknown keys are refused with the nearest known name.
 */
final class ConfigOptions {
    private static final List<String> PREFIXES = List.of(JobKeys.KAFKA_PREFIX, JobKeys.FLINK_PREFIX);

    private ConfigOptions() {
    }

    static List<ConfigKey> knownKeys() {
        List<ConfigKey> all = new ArrayList<>(TrainingKeys.ALL);
        all.addAll(JobKeys.ALL);
        return all;
    }

    /**
     * As {@link #load(Path, List)}; an override that is no configuration key but close to one of the
     * command's {@code options} (a mistyped option such as {@code --metric}) is a usage error suggesting it.
     */
    static RawConfig load(Path file, List<String> overrideArgs, CommandLine.Model.CommandSpec command) {
        Map<String, String> overrides = parseOverrides(overrideArgs);
        List<ConfigKey> known = knownKeys();
        for (String name : overrides.keySet()) {
            if (PREFIXES.stream().anyMatch(name::startsWith) || known.stream().anyMatch(k -> k.name().equals(name))) {
                continue;
            }
            int keyDistance = known.stream().mapToInt(k -> RawConfig.editDistance(name, k.name())).min().orElse(Integer.MAX_VALUE);
            for (CommandLine.Model.OptionSpec o : command.options()) {
                for (String option : o.names()) {
                    int d = RawConfig.editDistance("--" + name, option);
                    if (option.startsWith("--") && d <= 2 && d < keyDistance) {
                        throw new Main.UsageException("unknown option '--" + name + "': did you mean '" + option
                                + "'? (configuration keys are overridden as --KEY VALUE)");
                    }
                }
            }
        }
        return load(file, overrideArgs);
    }

    static RawConfig load(Path file, List<String> overrideArgs) {
        RawConfig raw = RawConfig.load(file, parseOverrides(overrideArgs));
        raw.rejectUnknown(knownKeys(), PREFIXES);
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
