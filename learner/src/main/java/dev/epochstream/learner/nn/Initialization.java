package dev.epochstream.learner.nn;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Weight initialisation of a dense layer (configuration key {@code model.init}).
 *
 * <p>Every scheme draws weights from U(-b, b), with the bound of the torch 1.13.1 initialiser of the same name:
 * <ul>
 *   <li>{@link #XAVIER}: {@code torch.nn.init.xavier_uniform_(w, gain=1)}, b = sqrt(6 / (fan_in + fan_out));
 *       biases 0;</li>
 *   <li>{@link #HE}: {@code torch.nn.init.kaiming_uniform_(w, a=0, nonlinearity='relu')}, b = sqrt(6 / fan_in);
 *       biases 0;</li>
 *   <li>{@link #TORCH}: {@code torch.nn.Linear.reset_parameters}, torch's default for a new layer:
 *       {@code kaiming_uniform_(w, a=sqrt(5))}, b = gain·sqrt(3 / fan_in) with gain = sqrt(2 / (1 + 5)), i.e.
 *       1/sqrt(fan_in); biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn after the layer's weights.</li>
 * </ul>
 * The random numbers are not torch's: each value is {@code b·(2u − 1)} with
 * {@code u = SplittableRandom.nextDouble()} (a multiple of 2⁻⁵³ in [0, 1), so {@code 2u − 1} is exact and the
 * weight is rounded once). {@link Network} draws layer by layer, each weight matrix row-major, from one
 * {@code SplittableRandom(seed)}, so a seed gives the same weights on every machine.
 */
public enum Initialization {
    XAVIER("xavier"),
    HE("he"),
    TORCH("torch");

    private final String configName;

    Initialization(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses {@code "xavier"}, {@code "he"} or {@code "torch"}; throws {@link IllegalArgumentException} naming the key. */
    public static Initialization fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Initialization i : values()) {
            if (i.configName.equals(n)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model.init: unknown initialisation '" + name + "': use xavier, he or torch");
    }

    /** Half-width b of the uniform distribution for a layer with these fan-in and fan-out. */
    public double bound(int fanIn, int fanOut) {
        return switch (this) {
            case XAVIER -> Math.sqrt(6.0 / (fanIn + fanOut));
            case HE -> Math.sqrt(6.0 / fanIn);
            case TORCH -> Math.sqrt(2.0 / (1 + 5)) * Math.sqrt(3.0 / fanIn); // torch's expression, a = sqrt(5)
        };
    }

    /** Half-width of the biases' uniform distribution, 0 when they start at 0. */
    public double biasBound(int fanIn) {
        return this == TORCH ? 1 / Math.sqrt(fanIn) : 0.0;
    }

    /**
     * Fills {@code weights[0 .. fanOut·fanIn)} (row-major [fanOut][fanIn]) with b·(2u − 1), drawing u from
     * {@code random} in index order.
     */
    void fill(double[] weights, int fanIn, int fanOut, SplittableRandom random) {
        double b = bound(fanIn, fanOut);
        for (int i = 0, n = fanIn * fanOut; i < n; i++) {
            weights[i] = b * (2.0 * random.nextDouble() - 1.0);
        }
    }

    /**
     * Fills {@code biases[0 .. fanOut)} with b·(2u − 1) for {@link #TORCH}, drawing u from {@code random} in index
     * order; leaves them at 0 (drawing nothing, so the other schemes' weights stay as they were) otherwise.
     */
    void fillBiases(double[] biases, int fanIn, int fanOut, SplittableRandom random) {
        double b = biasBound(fanIn);
        for (int i = 0; b != 0.0 && i < fanOut; i++) {
            biases[i] = b * (2.0 * random.nextDouble() - 1.0);
        }
    }
}
