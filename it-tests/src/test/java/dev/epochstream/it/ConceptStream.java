package dev.epochstream.it;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded stream for end-to-end tests: key i on partition i, a linearly separable 2-D concept
 * (label 1 when x0 + 2·x1 > 0), optionally some unlabelled events at the end of each key. Also runs the
 * epoch trainer offline over the same events in partition order, the reference the job must match.
 */
final class ConceptStream {
    final String[] keys;
    final Map<String, List<LabelledEvent>> events = new LinkedHashMap<>();

    ConceptStream(String[] keys, int labelledPerKey, int unlabelledPerKey, long seed) {
        this.keys = keys;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (String key : keys) {
            List<LabelledEvent> mine = new ArrayList<>();
            for (int i = 0; i < labelledPerKey + unlabelledPerKey; i++) {
                double x0 = rnd.nextDouble(-1, 1);
                double x1 = rnd.nextDouble(-1, 1);
                boolean labelled = i < labelledPerKey;
                mine.add(LabelledEvent.newBuilder().setId(key + "-" + i).setKey(key)
                        .setTime(Instant.ofEpochMilli(1_700_000_000_000L + 10L * i))
                        .setFeatures(List.of(x0, x1))
                        .setLabel(labelled ? (Object) (x0 + 2 * x1 > 0 ? 1 : 0) : null).build());
            }
            events.put(key, mine);
        }
    }

    /** Kafka messages (Avro single-object values) of events [from, to) of every key, key i on partition i. */
    List<Records.Message> messages(int from, int to) {
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> out = new ArrayList<>();
        for (int p = 0; p < keys.length; p++) {
            List<LabelledEvent> mine = events.get(keys[p]);
            for (int i = from; i < Math.min(to, mine.size()); i++) {
                out.add(new Records.Message(keys[p], codec.encode(mine.get(i)), p, -1));
            }
        }
        return out;
    }

    /** The offline reference: per key, the model and the epoch results of count windows of {@code size}. */
    record Reference(EpochTrainer trainer, Map<String, ModelState> models, Map<String, List<EpochResult>> epochs) {
    }

    static Reference offline(TrainingConfig config, Map<String, List<Example>> perKey, int size) {
        EpochTrainer trainer = new EpochTrainer(config);
        Map<String, ModelState> models = new LinkedHashMap<>();
        Map<String, List<EpochResult>> epochs = new LinkedHashMap<>();
        for (Map.Entry<String, List<Example>> k : perKey.entrySet()) {
            ModelState m = trainer.newModel(k.getKey());
            List<EpochResult> results = new ArrayList<>();
            List<Example> window = new ArrayList<>();
            for (Example e : k.getValue()) {
                if (trainer.refusal(e) != null) {
                    m.recordRefused(1);
                } else if (e.label() != null) {
                    window.add(e);
                    if (window.size() == size) {
                        results.add(trainer.trainEpoch(m, window, ModelState.NO_TIME, ModelState.NO_TIME, 0));
                        window.clear();
                    }
                }
            }
            models.put(k.getKey(), m);
            epochs.put(k.getKey(), results);
        }
        return new Reference(trainer, models, epochs);
    }

    Map<String, List<Example>> examples() {
        Map<String, List<Example>> out = new LinkedHashMap<>();
        events.forEach((k, v) -> out.put(k, v.stream().map(Events::toExample).toList()));
        return out;
    }
}
