package dev.epochstream.learner.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrictMath#exp} of many doubles at once, bit for bit: the fdlibm algorithm that StrictMath specifies
 * (e_exp.c, which the JDK's {@code FdLibm.Exp} follows operation by operation) evaluated in SIMD lanes, each
 * lane with the very sequence of IEEE operations the scalar code performs for its argument (Java never fuses
 * a multiply and an add), so every result equals {@code StrictMath.exp}:
 * <ul>
 *   <li>|x| < 2^-28: 1 + x;
 *   <li>otherwise x = hi − lo with hi = x − k·ln2HI and lo = k·ln2LO, k = (int) (x/ln2 ± ½) (0 when
 *       |x| ≤ ½ln2, i.e. high word ≤ 0x3fd62e42), c = x − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))) with
 *       t = x², and exp = (1 − ((lo − (x·c)/(2 − c)) − hi)) with k added to its exponent.
 * </ul>
 * fdlibm writes two of those cases differently, with the same results: for ½ln2 < |x| < 1.5ln2 it sets
 * k = ±1, hi = x ∓ ln2HI, lo = ±ln2LO, which is what the general formula computes there (x/ln2 ± ½ truncates
 * to ±1, and multiplying by ±1 is exact); for k = 0 it returns 1 − ((x·c)/(c − 2) − x), and since 2 − c is
 * exactly −(c − 2) and 0 − q exactly −q, the general formula with k = 0 (hi = x, lo = 0) gives those bits.
 * The truncation is computed with doubles (|x/ln2 ± ½| rounded to an integer by adding and subtracting 2^52,
 * less one if that rounded up), exact for such small values; the branch boundaries on fdlibm's high word are
 * the same comparisons on |x| (the order of positive doubles is the order of their bits). The lanes give y
 * and k; a second, scalar pass adds k to y's exponent (below 2^-1021 fdlibm's k + 1000 and product with
 * 2^-1000) and takes fdlibm's early returns (|x| < 2^-28, overflow, underflow, NaN) from StrictMath itself.
 * {@code VectorizedExpTest} compares every branch boundary, every k and millions of random arguments (all
 * bit patterns included) with StrictMath bit for bit.
 *
 * <p>Why those are scalar: in Java 17's incubating API, long lanes, double/long reinterpretations, and masks
 * from {@code NE} compares or {@code or} made some C2 compilations box vectors in the loop (JMH {@code -prof
 * gc} on the training step: 3.8 KB a batch of 32, 30 KB a batch of 128), while double lanes with plain
 * {@code LT}/{@code GT} masks compile to SIMD code.
 *
 * <p>Why: softmax outputs need one exp per class and row, and the scalar fdlibm code, branchy and
 * dependent, was the largest single cost of a small classifier's epoch after the matrix products. Needs
 * {@code jdk.incubator.vector}; callers check {@link Gemm#vectorApiEnabled()} first.
 */
final class VectorizedExp {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private static final double LN2_HI = 0x1.62e42feep-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    private static final double INV_LN2 = 0x1.71547652b82fep0;
    private static final double P1 = 0x1.555555555553ep-3;
    private static final double P2 = -0x1.6c16c16bebd93p-9;
    private static final double P3 = 0x1.1566aaf25de2cp-14;
    private static final double P4 = -0x1.bbd41c5d26bf1p-20;
    private static final double P5 = 0x1.6376972bea4d0p-25;
    /** |x| below this (high word 0x3e300000): exp(x) = 1 + x. */
    private static final double TINY = Double.longBitsToDouble(0x3e300000L << 32);
    /** |x| at or above this (high word 0x3fd62e43, i.e. above 0x3fd62e42): argument reduction, k ≠ 0. */
    private static final double REDUCE = Double.longBitsToDouble(0x3fd62e43L << 32);
    /** Above this exp overflows to +∞ (fdlibm's o_threshold; also catches +∞). */
    private static final double O_THRESHOLD = 0x1.62e42fefa39efp9;
    /** Below this exp underflows to 0 (fdlibm's u_threshold; also catches −∞). */
    private static final double U_THRESHOLD = -0x1.74910d52d3051p9;
    private static final double TWO_M1000 = 0x1.0p-1000;
    /** 2^52: adding and subtracting it rounds a smaller non-negative double to an integer. */
    private static final double TWO_52 = 0x1.0p52;

    private VectorizedExp() {
    }

    /** a[i] = StrictMath.exp(a[i]) for i in [from, to); {@code scratch} holds at least 2·{@code to} doubles. */
    static void expInPlace(double[] a, int from, int to, double[] scratch) {
        // Constants as vectors once, outside the loop: the scalar-operand forms nest the Vector API's
        // inlining deeper than C2 follows (MaxInlineLevel). The loop body has no branch and no call, so no
        // vector is ever live across a call that would make C2 box it.
        DoubleVector reduceBound = DoubleVector.broadcast(SPECIES, REDUCE);
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector half = DoubleVector.broadcast(SPECIES, 0.5);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        DoubleVector two = DoubleVector.broadcast(SPECIES, 2.0);
        DoubleVector two52 = DoubleVector.broadcast(SPECIES, TWO_52);
        DoubleVector invLn2 = DoubleVector.broadcast(SPECIES, INV_LN2);
        DoubleVector ln2Hi = DoubleVector.broadcast(SPECIES, LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(SPECIES, LN2_LO);
        DoubleVector p1 = DoubleVector.broadcast(SPECIES, P1);
        DoubleVector p2 = DoubleVector.broadcast(SPECIES, P2);
        DoubleVector p3 = DoubleVector.broadcast(SPECIES, P3);
        DoubleVector p4 = DoubleVector.broadcast(SPECIES, P4);
        DoubleVector p5 = DoubleVector.broadcast(SPECIES, P5);
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, a, i);
            DoubleVector ax = x.abs();
            VectorMask<Double> keep = ax.compare(VectorOperators.LT, reduceBound);
            VectorMask<Double> negative = x.compare(VectorOperators.LT, zero);
            // |k| = (int) (|x|/ln2 + ½): the rounding of x·invln2 + ±½ is symmetric in the sign
            DoubleVector w = ax.mul(invLn2).add(half);
            DoubleVector rounded = w.add(two52).sub(two52);
            DoubleVector magnitude = rounded.blend(rounded.sub(one), rounded.compare(VectorOperators.GT, w));
            DoubleVector k = magnitude.blend(magnitude.neg(), negative).blend(zero, keep);
            DoubleVector hi = x.sub(k.mul(ln2Hi));
            DoubleVector lo = k.mul(ln2Lo);
            DoubleVector r = hi.sub(lo);
            DoubleVector t = r.mul(r);
            DoubleVector c = r.sub(t.mul(t.mul(t.mul(t.mul(t.mul(p5).add(p4)).add(p3)).add(p2)).add(p1)));
            DoubleVector y = one.sub(lo.sub(r.mul(c).div(two.sub(c))).sub(hi));
            y.intoArray(scratch, i);
            k.intoArray(scratch, to + i);
        }
        // 2^k through the exponent bits, as fdlibm does (scalar: see the class comment), below 2^-1021 with
        // its k + 1000 and 2^-1000; fdlibm's early returns (|x| < 2^-28, overflow, underflow, NaN) here too
        for (int j = from; j < i; j++) {
            double x = a[j];
            if (Math.abs(x) >= TINY && x <= O_THRESHOLD && x >= U_THRESHOLD) {
                long k = (long) scratch[to + j];
                long bits = Double.doubleToRawLongBits(scratch[j]);
                a[j] = k >= -1021 ? Double.longBitsToDouble(bits + (k << 52))
                        : Double.longBitsToDouble(bits + ((k + 1000) << 52)) * TWO_M1000;
            } else {
                a[j] = StrictMath.exp(x);
            }
        }
        for (; i < to; i++) {
            a[i] = StrictMath.exp(a[i]);
        }
    }
}
