package dev.epochstream.data;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Friedman #1, a noisy <b>non-linear regression</b> (Friedman 1991, "Multivariate adaptive regression
 * splines", The Annals of Statistics 19(1)).
 *
 * <p>Concept: 10 features uniform in [0,1], of which five matter:
 * y = 10·sin(π·x1·x2) + 20·(x3 − 0.5)² + 10·x4 + 5·x5 + ε, with ε ~ N(0, noise²) (the paper: noise 1).
 * The noise-free part has variance ≈ 23.8, so with unit noise the best possible R² is ≈ 0.96.
 *
 * <p>Which positions hold x1..x5: positions {@code rotation}, rotation+1, ... (mod 10). Rotation 0 is the
 * paper's layout; multi-key runs give key i rotation i mod 10, so that keys have different concepts.
 *
 * <p>Drift: none; the concept is stationary.
 */
public final class FriedmanGenerator extends AbstractEventGenerator {
    static final int FEATURES = 10;

    /**
     * @param noise standard deviation of ε (&gt;= 0)
     * @param rotation position (0..9) of x1; x2..x5 follow cyclically
     */
    public record Config(double noise, int rotation) {
        public Config {
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("friedman noise must be finite and >= 0, got " + noise);
            }
            if (rotation < 0 || rotation >= FEATURES) {
                throw new IllegalArgumentException("friedman rotation must be in [0, 9], got " + rotation);
            }
        }

        /** The paper's unit noise and layout. */
        public static Config defaults() {
            return new Config(1.0, 0);
        }
    }

    private final Config config;
    private final SplittableRandom random;

    public FriedmanGenerator(String key, long seed, Config config) {
        super(key, FEATURES);
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "friedman";
    }

    @Override
    public Map<String, String> suggestedConfig() {
        return suggested(FEATURES + ",32,1", "relu,identity", "mse", true);
    }

    /** The noise-free target of {@code x} under this generator's layout. */
    public double target(double[] x) {
        int r = config.rotation();
        double x1 = x[r];
        double x2 = x[(r + 1) % FEATURES];
        double x3 = x[(r + 2) % FEATURES];
        double x4 = x[(r + 3) % FEATURES];
        double x5 = x[(r + 4) % FEATURES];
        return 10.0 * StrictMath.sin(Math.PI * x1 * x2) + 20.0 * (x3 - 0.5) * (x3 - 0.5) + 10.0 * x4 + 5.0 * x5;
    }

    @Override
    Object draw(double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        return target(x) + config.noise() * Randoms.gaussian(random);
    }
}
