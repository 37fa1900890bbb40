package dev.epochstream.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in generators by name: {@code hyperplane} (gradual drift), {@code sea} (abrupt drift),
 * {@code rbf} (multi-class) and {@code friedman} (regression), each with its default settings.
 */
public final class Generators {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("hyperplane", "sea", "rbf", "friedman");

    private Generators() {
    }

    /**
     * A generator of {@code keys} model keys {@code model-0 .. model-(keys-1)}, interleaved round-robin. Key i
     * draws from its own seed (derived from {@code seed} and i) and so has its own concept: its own
     * hyperplane, its own RBF centroids; for {@code sea} it starts at concept i mod 4, for {@code friedman}
     * its relevant features start at position i mod 10.
     *
     * @throws IllegalArgumentException for an unknown name (naming the known ones) or keys &lt; 1
     */
    public static MultiKeyGenerator create(String name, int keys, long seed) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown generator '" + name + "': use one of " + String.join(", ", NAMES));
        }
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        }
        List<AbstractEventGenerator> generators = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            generators.add(single(name, "model-" + i, Randoms.keySeed(seed, i), i));
        }
        return new MultiKeyGenerator(generators);
    }

    private static AbstractEventGenerator single(String name, String key, long seed, int index) {
        return switch (name) {
            case "hyperplane" -> new HyperplaneGenerator(key, seed, HyperplaneGenerator.Config.defaults());
            case "sea" -> {
                SeaGenerator.Config d = SeaGenerator.Config.defaults();
                yield new SeaGenerator(key, seed, new SeaGenerator.Config(d.blockLength(), d.noise(),
                        index % SeaGenerator.THRESHOLDS.length));
            }
            case "rbf" -> new RandomRbfGenerator(key, seed, RandomRbfGenerator.Config.defaults());
            case "friedman" -> new FriedmanGenerator(key, seed,
                    new FriedmanGenerator.Config(FriedmanGenerator.Config.defaults().noise(),
                            index % FriedmanGenerator.FEATURES));
            default -> throw new IllegalArgumentException("unknown generator '" + name + "'");
        };
    }
}
