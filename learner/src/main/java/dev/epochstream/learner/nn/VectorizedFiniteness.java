package dev.epochstream.learner.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Finiteness#allFinite} in SIMD lanes: x − x is +0 for a finite x and NaN for an infinite or NaN one,
 * so a running sum of those differences is 0 exactly when everything was finite; no branch per value, and
 * only double lanes and adds (what C2 compiles without boxing in Java 17, see {@link VectorizedExp}).
 */
final class VectorizedFiniteness {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorizedFiniteness() {
    }

    static boolean allFinite(double[] a, int from, int to) {
        DoubleVector sum = DoubleVector.zero(SPECIES);
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, a, i);
            sum = sum.add(v.sub(v));
        }
        double s = sum.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i] - a[i];
        }
        return s == 0.0;
    }
}
