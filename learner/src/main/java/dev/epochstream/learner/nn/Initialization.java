package dev.epochstream.learner.nn;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Weight initialisation of a dense layer (configuration key {@code model.init}). Biases always start at 0.
 *
 * <p>Both schemes draw from U(-b, b), with the bound of the torch 1.13.1 initialiser of the same name:
 * <ul>
 *   <li>{@link #XAVIER}: {@code torch.nn.init.xavier_uniform_(w, gain=1)}, b = sqrt(6 / (fan_in + fan_out));</li>
 *   <li>{@link #HE}: {@code torch.nn.init.kaiming_uniform_(w, a=0, nonlinearity='relu')}, b = sqrt(6 / fan_in).</li>
 * </ul>
 * The random numbers are not torch's: each weight is {@code b·(2u − 1)} with
 * {@code u = SplittableRandom.nextDouble()} (a multiple of 2⁻⁵³ in [0, 1), so {@code 2u − 1} is exact and the
 * weight is rounded once). {@link Network} draws layer by layer, each weight matrix row-major, from one
 * {@code SplittableRandom(seed)}, so a seed gives the same weights on every machine.
 */
public enum Initialization {
    XAVIER("xavier"),
    HE("he");

    private final String configName;

    Initialization(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses {@code "xavier"} or {@code "he"}; throws {@link IllegalArgumentException} naming the key. */
    public static Initialization fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Initialization i : values()) {
            if (i.configName.equals(n)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model.init: unknown initialisation '" + name + "': use xavier or he");
    }

    /** Half-width b of the uniform distribution for a layer with these fan-in and fan-out. */
    public double bound(int fanIn, int fanOut) {
        return this == XAVIER ? Math.sqrt(6.0 / (fanIn + fanOut)) : Math.sqrt(6.0 / fanIn);
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
}
