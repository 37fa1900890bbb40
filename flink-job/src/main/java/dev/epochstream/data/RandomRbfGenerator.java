package dev.epochstream.data;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random radial basis functions, a <b>multi-class</b> concept (MOA's {@code RandomRBFGenerator} and
 * {@code RandomRBFGeneratorDrift}: Bifet, Holmes, Kirkby &amp; Pfahringer 2010, "MOA: Massive Online
 * Analysis", JMLR; Kirkby 2007, PhD thesis, University of Waikato).
 *
 * <p>Concept: {@code centroids} centres drawn once from the seed, each with a position uniform in
 * [0,1]^d, a class uniform in 0..classes−1, a standard deviation uniform in [0,1) and a weight uniform in
 * [0,1). An event picks a centroid with probability proportional to its weight and is placed at the
 * centre plus a uniformly random direction scaled to a N(0, σ²) length; its label is the centroid's
 * class. Classes overlap where centroids of different classes meet, so even the Bayes-optimal rule errs
 * a little.
 *
 * <p>Drift: none by default ({@code speed} 0). With {@code speed} &gt; 0 every centre moves that far per
 * event along its own random direction, bouncing off the walls of the unit cube: gradual drift of the
 * class regions.
 */
public final class RandomRbfGenerator extends AbstractEventGenerator {

    /**
     * @param features dimension d (&gt;= 1)
     * @param classes number of classes (&gt;= 2)
     * @param centroids number of centres (&gt;= 1)
     * @param speed distance every centre moves per event (&gt;= 0)
     */
    public record Config(int features, int classes, int centroids, double speed) {
        public Config {
            if (features < 1) {
                throw new IllegalArgumentException("rbf features must be >= 1, got " + features);
            }
            if (classes < 2) {
                throw new IllegalArgumentException("rbf classes must be >= 2, got " + classes);
            }
            if (centroids < 1) {
                throw new IllegalArgumentException("rbf centroids must be >= 1, got " + centroids);
            }
            if (!(speed >= 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("rbf speed must be finite and >= 0, got " + speed);
            }
        }

        /** 10 features, 5 classes, 50 centroids (MOA's default count), no drift. */
        public static Config defaults() {
            return new Config(10, 5, 50, 0.0);
        }
    }

    private final Config config;
    private final SplittableRandom random;
    /** Centre c's coordinates at [c·d, (c+1)·d). */
    private final double[] centres;
    private final double[] moves;
    private final int[] classOf;
    private final double[] deviation;
    /** Cumulative weights, for picking a centroid by weight. */
    private final double[] cumulative;

    public RandomRbfGenerator(String key, long seed, Config config) {
        super(key, config.features());
        this.config = config;
        this.random = new SplittableRandom(seed);
        int d = config.features();
        int k = config.centroids();
        this.centres = new double[k * d];
        this.moves = new double[k * d];
        this.classOf = new int[k];
        this.deviation = new double[k];
        this.cumulative = new double[k];
        double total = 0.0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                centres[c * d + i] = random.nextDouble();
            }
            classOf[c] = random.nextInt(config.classes());
            deviation[c] = random.nextDouble();
            total += random.nextDouble();
            cumulative[c] = total;
        }
        double[] direction = new double[d];
        for (int c = 0; c < k; c++) {
            randomDirection(direction);
            for (int i = 0; i < d; i++) {
                moves[c * d + i] = direction[i] * config.speed();
            }
        }
    }

    @Override
    public String name() {
        return "rbf";
    }

    @Override
    public Map<String, String> suggestedConfig() {
        return suggested(config.features() + ",32," + config.classes(), "relu,softmax", "cce", false);
    }

    @Override
    Object draw(double[] x) {
        int d = x.length;
        int c = pick(random.nextDouble() * cumulative[cumulative.length - 1]);
        randomDirection(x);
        double length = Randoms.gaussian(random) * deviation[c];
        for (int i = 0; i < d; i++) {
            x[i] = centres[c * d + i] + x[i] * length;
        }
        if (config.speed() > 0) {
            move();
        }
        return classOf[c];
    }

    /** The first centroid whose cumulative weight exceeds {@code u}. */
    private int pick(double u) {
        for (int c = 0; c < cumulative.length - 1; c++) {
            if (u < cumulative[c]) {
                return c;
            }
        }
        return cumulative.length - 1;
    }

    /** A unit vector: a point uniform in [−1,1]^d, normalised (MOA's draw; not exactly uniform on the sphere). */
    private void randomDirection(double[] out) {
        double norm2 = 0.0;
        for (int i = 0; i < out.length; i++) {
            out[i] = 2.0 * random.nextDouble() - 1.0;
            norm2 += out[i] * out[i];
        }
        double norm = Math.sqrt(norm2);
        for (int i = 0; i < out.length; i++) {
            out[i] = norm > 0 ? out[i] / norm : 0.0;
        }
    }

    private void move() {
        for (int j = 0; j < centres.length; j++) {
            double next = centres[j] + moves[j];
            if (next < 0.0 || next > 1.0) {
                // Bounce: reverse this coordinate's motion and stay inside the cube.
                moves[j] = -moves[j];
                next = centres[j] + moves[j];
            }
            centres[j] = next;
        }
    }
}
