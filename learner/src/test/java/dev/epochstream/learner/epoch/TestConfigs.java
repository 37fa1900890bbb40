package dev.epochstream.learner.epoch;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: configurations from key/value pairs, and small windows of events. */
final class TestConfigs {
    private TestConfigs() {
    }

    /** A configuration from {@code key, value, key, value, ...}. */
    static TrainingConfig config(String... keyValues) {
        return TrainingConfig.from(RawConfig.of(map(keyValues)));
    }

    static Map<String, String> map(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Events {@code idPrefix + i} with dense features {@code xs[i]} and label {@code ys[i]}. */
    static List<Example> window(String idPrefix, double[][] xs, double[][] ys) {
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            w.add(Example.dense(idPrefix + i, "k", 1000L + i, xs[i], ys[i]));
        }
        return w;
    }

    /** A deep copy of parameter tensors. */
    static double[][] copy(double[][] tensors) {
        double[][] c = new double[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            c[i] = tensors[i].clone();
        }
        return c;
    }
}
