package dev.epochstream.it;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.util.List;

/**
 * The prequential metrics of a classification window recomputed from a published snapshot, independently
 * of the trainer: each event is scored by {@link ModelSnapshots#predictor}, its cross-entropy is
 * −log p(label) from the served probabilities, and the loss is the trainer's formula — the mean of
 * per-chunk means weighted by chunk size, chunks of max(batch size, 256) events in window order.
 */
record SnapshotScores(long count, double loss, double accuracy) {
    private static final int SCORING_CHUNK = 256;

    static SnapshotScores of(ModelSnapshot snapshot, List<Example> window, int batchSize) {
        Predictor predictor = ModelSnapshots.predictor(snapshot);
        int chunk = Math.max(batchSize, SCORING_CHUNK);
        double weightedSum = 0.0;
        long right = 0;
        for (int start = 0; start < window.size(); start += chunk) {
            int size = Math.min(chunk, window.size() - start);
            double total = 0.0;
            for (int i = start; i < start + size; i++) {
                Example e = window.get(i);
                int label = (int) e.label()[0];
                Scored s = predictor.predict(e);
                total += -StrictMath.log(s.scores()[label]);
                if (s.predictedClass() == label) {
                    right++;
                }
            }
            weightedSum += total / size * size;
        }
        return new SnapshotScores(window.size(), weightedSum / window.size(), (double) right / window.size());
    }
}
