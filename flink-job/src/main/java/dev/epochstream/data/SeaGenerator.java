package dev.epochstream.data;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * SEA concepts, a binary concept with <b>abrupt drift</b> (Street &amp; Kim 2001, "A streaming ensemble
 * algorithm (SEA) for large-scale classification", KDD).
 *
 * <p>Concept: three features uniform in [0, 10], of which only the first two matter; label 1 when
 * f1 + f2 ≤ θ, else 0. The paper's four concepts use θ = 8, 9, 7 and 9.5, in that order.
 *
 * <p>Drift: every {@code blockLength} events the threshold jumps to the next concept (cycling back to the
 * first after the fourth), so the boundary moves at once and a fraction of the plane changes class:
 * 8.5% of points from θ=8 to 9, 16% from 9 to 7, 20.6% from 7 to 9.5, 13.1% from 9.5 back to 8 (the
 * area between the lines, (b² − a²)/200, as f1 + f2 has density s/100 for s ≤ 10). The paper uses blocks
 * of 12,500 events and 10% label noise; the default block here is 2,500 events, so that the default
 * 10,000-event run of {@code produce} shows all four concepts.
 */
public final class SeaGenerator extends AbstractEventGenerator {
    /** The paper's thresholds θ, concept by concept. */
    static final double[] THRESHOLDS = {8.0, 9.0, 7.0, 9.5};

    /**
     * @param blockLength events per concept (&gt;= 1)
     * @param noise probability that a label is flipped, in [0, 0.5)
     * @param firstConcept the concept (0..3) of the first block; multi-key runs start key i at concept i mod 4
     */
    public record Config(int blockLength, double noise, int firstConcept) {
        public Config {
            if (blockLength < 1) {
                throw new IllegalArgumentException("sea blockLength must be >= 1, got " + blockLength);
            }
            if (!(noise >= 0 && noise < 0.5)) {
                throw new IllegalArgumentException("sea noise must be in [0, 0.5), got " + noise);
            }
            if (firstConcept < 0 || firstConcept >= THRESHOLDS.length) {
                throw new IllegalArgumentException("sea firstConcept must be in [0, 3], got " + firstConcept);
            }
        }

        /** Blocks of 2,500 events, 10% label noise (as the paper), starting at θ = 8. */
        public static Config defaults() {
            return new Config(2_500, 0.1, 0);
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private long drawn;

    public SeaGenerator(String key, long seed, Config config) {
        super(key, 3);
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "sea";
    }

    @Override
    public Map<String, String> suggestedConfig() {
        return suggested("3,16,1", "relu,sigmoid", "bce", true);
    }

    /** The threshold θ of event number {@code n} of this key. */
    public double thresholdAt(long n) {
        return THRESHOLDS[(int) ((config.firstConcept() + n / config.blockLength()) % THRESHOLDS.length)];
    }

    @Override
    Object draw(double[] x) {
        double theta = thresholdAt(drawn++);
        x[0] = 10.0 * random.nextDouble();
        x[1] = 10.0 * random.nextDouble();
        x[2] = 10.0 * random.nextDouble();
        int label = x[0] + x[1] <= theta ? 1 : 0;
        if (random.nextDouble() < config.noise()) {
            label = 1 - label;
        }
        return label;
    }
}
