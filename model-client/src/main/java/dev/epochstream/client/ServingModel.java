package dev.epochstream.client;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.learner.features.FeatureProblem;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One validated version of one key's model, ready to serve from any number of threads. Its model (the
 * arrays below) never changes after construction, so a reader that got hold of it can never see a
 * half-loaded model.
 *
 * <p>{@link Predictor} is not thread-safe (one forward workspace), so each concurrent reader borrows one
 * from a lock-free pool ({@link ConcurrentLinkedQueue}) and returns it: the pool grows to the peak number
 * of concurrent readers and no reader ever waits on a lock. All predictors of a model are built from the
 * same arrays, so which one a reader borrows makes no difference to the result.
 */
final class ServingModel {
    private final String key;
    private final long version;
    private final long createdAtMillis;
    private final NetworkSpec spec;
    private final String loss;
    private final double lossDelta;
    private final double lossMargin;
    private final double[][] parameters;
    private final Standardizer standardizer;
    private final int hashBits;
    private final ConcurrentLinkedQueue<Predictor> pool = new ConcurrentLinkedQueue<>();

    /**
     * Builds the serving form of a snapshot that passed {@link ModelSnapshots#problems}; builds one
     * predictor at once so that anything the predictor refuses surfaces here, not on the first request.
     *
     * @throws IllegalArgumentException when the learner refuses the model
     */
    ServingModel(ModelSnapshot s) {
        this.key = s.getKey();
        this.version = s.getVersion();
        this.createdAtMillis = s.getCreatedAt().toEpochMilli();
        this.spec = ModelSnapshots.networkSpec(s);
        this.loss = s.getNetwork().getLoss();
        this.lossDelta = s.getNetwork().getLossDelta();
        this.lossMargin = s.getNetwork().getLossMargin();
        this.parameters = ModelSnapshots.parameters(s);
        this.standardizer = ModelSnapshots.standardizer(s);
        this.hashBits = s.getPreprocessing().getHashBits();
        pool.offer(newPredictor());
    }

    String key() {
        return key;
    }

    long version() {
        return version;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }

    /**
     * The prediction for {@code e}, exactly as the learner's {@link Predictor} computes it.
     *
     * @throws InvalidInputException when the features do not fit this model
     */
    ModelPrediction predict(Example e) {
        Predictor p = pool.poll();
        if (p == null) {
            p = newPredictor();
        }
        try {
            FeatureProblem problem = p.encoder().problem(e);
            if (problem != null) {
                throw new InvalidInputException(key, version, problem);
            }
            Scored s = p.predict(e);
            return new ModelPrediction(key, version, s.task(), s.prediction(), s.scores());
        } finally {
            pool.offer(p);
        }
    }

    /** Drops the pooled predictors (memory) of a model that no longer serves; they are rebuilt if it serves again. */
    void releaseScratch() {
        pool.clear();
    }

    private Predictor newPredictor() {
        return new Predictor(spec, loss, lossDelta, lossMargin, parameters, standardizer, hashBits, version);
    }

    @Override
    public String toString() {
        return "ServingModel[" + key + " v" + version + "]";
    }
}
