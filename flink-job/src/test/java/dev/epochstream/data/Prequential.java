package dev.epochstream.data;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.Events;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the job's {@link EpochTrainer} on a generator's events over count windows per key, as
 * {@code replay} does, and returns every key's epochs in order.
 */
final class Prequential {
    private Prequential() {
    }

    static Map<String, List<EpochResult>> train(EventGenerator generator, int events, int window) {
        Map<String, String> keys = new HashMap<>(generator.suggestedConfig());
        keys.put("epoch.window", "count:" + window);
        EpochTrainer trainer = new EpochTrainer(TrainingConfig.from(RawConfig.of(keys)));
        Map<String, ModelState> models = new LinkedHashMap<>();
        Map<String, List<Example>> windows = new LinkedHashMap<>();
        Map<String, List<EpochResult>> epochs = new LinkedHashMap<>();
        for (int i = 0; i < events; i++) {
            Example e = Events.toExample(generator.next());
            if (trainer.refusal(e) != null) {
                throw new AssertionError("trainer refused " + e.id() + ": " + trainer.refusal(e).message());
            }
            ModelState m = models.computeIfAbsent(e.key(), trainer::newModel);
            List<Example> w = windows.computeIfAbsent(e.key(), k -> new ArrayList<>(window));
            w.add(e);
            if (w.size() == window) {
                epochs.computeIfAbsent(e.key(), k -> new ArrayList<>())
                        .add(trainer.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0));
                w.clear();
            }
        }
        return epochs;
    }

    /** Mean prequential accuracy of epochs [from, to). */
    static double meanAccuracy(List<EpochResult> epochs, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += epochs.get(i).prequential().accuracy();
        }
        return sum / (to - from);
    }
}
