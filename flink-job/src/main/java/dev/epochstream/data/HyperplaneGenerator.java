package dev.epochstream.data;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rotating hyperplane, a binary concept with <b>gradual drift</b> (Hulten, Spencer &amp; Domingos 2001,
 * "Mining time-changing data streams", KDD; as in MOA's {@code HyperplaneGenerator}).
 *
 * <p>Concept: x uniform in [0,1]^d; label 1 when Σ w_i·x_i ≥ w_0 with w_0 = ½·Σ w_i, else 0 (so the classes
 * are balanced). The initial weights w_i are uniform in [0,1] from the seed. Noise: each label is flipped
 * with probability {@code noise}.
 *
 * <p>Drift: after every event, each of the first {@code driftingFeatures} weights moves by
 * {@code magnitude} in its direction s_i ∈ {−1, +1}, and s_i reverses with probability
 * {@code reversalProbability}; w_0 follows. The hyperplane thus turns slowly and continuously: a learner
 * must keep adapting, and a frozen model decays gradually.
 */
public final class HyperplaneGenerator extends AbstractEventGenerator {

    /**
     * @param features dimension d (&gt;= 2)
     * @param driftingFeatures how many weights drift (0..d)
     * @param magnitude change of a drifting weight per event (&gt;= 0; 0 = no drift)
     * @param reversalProbability probability that a drifting weight reverses its direction after an event
     * @param noise probability that a label is flipped, in [0, 0.5)
     */
    public record Config(int features, int driftingFeatures, double magnitude, double reversalProbability,
                         double noise) {
        public Config {
            if (features < 2) {
                throw new IllegalArgumentException("hyperplane features must be >= 2, got " + features);
            }
            if (driftingFeatures < 0 || driftingFeatures > features) {
                throw new IllegalArgumentException("hyperplane driftingFeatures must be in [0, " + features + "], got "
                        + driftingFeatures);
            }
            if (!(magnitude >= 0) || Double.isInfinite(magnitude)) {
                throw new IllegalArgumentException("hyperplane magnitude must be finite and >= 0, got " + magnitude);
            }
            if (!(reversalProbability >= 0 && reversalProbability <= 1)) {
                throw new IllegalArgumentException("hyperplane reversalProbability must be in [0, 1], got "
                        + reversalProbability);
            }
            if (!(noise >= 0 && noise < 0.5)) {
                throw new IllegalArgumentException("hyperplane noise must be in [0, 0.5), got " + noise);
            }
        }

        /** 10 features of which 2 drift by 0.001 per event, 10% direction reversals, 5% label noise. */
        public static Config defaults() {
            return new Config(10, 2, 0.001, 0.1, 0.05);
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private final double[] weights;
    private final double[] directions;

    public HyperplaneGenerator(String key, long seed, Config config) {
        super(key, config.features());
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.weights = new double[config.features()];
        this.directions = new double[config.features()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble();
            directions[i] = random.nextBoolean() ? 1.0 : -1.0;
        }
    }

    @Override
    public String name() {
        return "hyperplane";
    }

    @Override
    public Map<String, String> suggestedConfig() {
        return suggested(config.features() + ",16,1", "relu,sigmoid", "bce", false);
    }

    /** The current weights w_1..w_d (a copy), for tests and explanations. */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    Object draw(double[] x) {
        double sum = 0.0;
        double total = 0.0;
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
            sum += weights[i] * x[i];
            total += weights[i];
        }
        int label = sum >= 0.5 * total ? 1 : 0;
        if (random.nextDouble() < config.noise()) {
            label = 1 - label;
        }
        for (int i = 0; i < config.driftingFeatures(); i++) {
            weights[i] += directions[i] * config.magnitude();
            if (random.nextDouble() < config.reversalProbability()) {
                directions[i] = -directions[i];
            }
        }
        return label;
    }
}
