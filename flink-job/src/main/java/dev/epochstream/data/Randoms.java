package dev.epochstream.data;

import java.util.SplittableRandom;

/** Seeded draws shared by the generators, with StrictMath so that every machine draws the same numbers. */
final class Randoms {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Randoms() {
    }

    /** A standard normal draw (Box–Muller, cosine branch): sqrt(−2 ln u1) · cos(2π u2), u1 in (0, 1]. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /**
     * The seed of key {@code index} of a run seeded with {@code seed}: different keys get unrelated streams,
     * and a key's stream does not depend on how many keys the run has.
     */
    static long keySeed(long seed, int index) {
        return new SplittableRandom(seed + GOLDEN_GAMMA * (index + 1L)).nextLong();
    }
}
