package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorizedExp} must give {@link StrictMath#exp}'s very bits for every argument: around each of
 * fdlibm's branch boundaries (both signs, a few ulps either side), over every reduction multiple k, in the
 * overflow, underflow and subnormal-result ranges that fall back to StrictMath (mixed into vectors with
 * ordinary lanes), for NaNs, infinities and zeros, and for millions of random arguments of all magnitudes.
 * The reference is StrictMath itself, an independent implementation. The softmax built on it must equal
 * {@link ActivationFunctions#softmaxRow}'s scalar one bit for bit.
 */
class VectorizedExpTest {

    @Test
    void boundariesOfFdlibmBranchesGiveStrictMathBits() {
        List<Double> values = new ArrayList<>();
        long[] highWords = {0x3e300000L, 0x3fd62e42L, 0x3fd62e43L, 0x3FF0A2B2L, 0x40862E42L, 0x7ff00000L};
        for (long hw : highWords) {
            double b = Double.longBitsToDouble(hw << 32);
            around(values, b);
            around(values, -b);
        }
        double[] specials = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, -1.0,
            0.5 * StrictMath.log(2), 1.5 * StrictMath.log(2), -0.5 * StrictMath.log(2), -1.5 * StrictMath.log(2),
            0x1.62e42fefa39efp9, -0x1.74910d52d3051p9, -708.3964185322641, -708.39, -708.4, -709.0, -720.0,
            -745.0, -746.0, 709.0, 709.8, 710.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L),
            Double.longBitsToDouble(0xfff0000000000001L)};
        for (double v : specials) {
            around(values, v);
        }
        // every reduction multiple k: x near k·ln2 and (k ± ½)·ln2, where the truncation changes
        for (int k = -1080; k <= 1030; k++) {
            around(values, k * 0x1.62e42fefa39efp-1);
            around(values, (k + 0.5) * 0x1.62e42fefa39efp-1);
        }
        assertSameAsStrictMath(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void randomArgumentsOfAllMagnitudesGiveStrictMathBits() {
        SplittableRandom rnd = new SplittableRandom(29);
        double[] a = new double[1 << 21];
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextDouble(-750, 750);
                case 1 -> rnd.nextDouble(-40, 1);   // softmax's range: z − max ≤ 0
                case 2 -> (rnd.nextBoolean() ? 1 : -1) * StrictMath.pow(2, rnd.nextDouble(-70, 10));
                default -> Double.longBitsToDouble(rnd.nextLong()); // any bit pattern, NaNs included
            };
        }
        assertSameAsStrictMath(a);
    }

    @Test
    void vectorisedSoftmaxEqualsTheScalarRowsBitForBit() {
        assertThat(Gemm.vectorApiEnabled()).as("surefire runs with the Vector API").isTrue();
        SplittableRandom rnd = new SplittableRandom(30);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + rnd.nextInt(40);
            int cols = 1 + rnd.nextInt(20);
            DMatrixRMaj z = new DMatrixRMaj(rows, cols);
            for (int i = 0; i < rows * cols; i++) {
                // mostly ordinary logits, some far apart so that exp underflows or goes subnormal
                z.data[i] = rnd.nextInt(10) == 0 ? rnd.nextDouble(-800, 800) : rnd.nextDouble(-12, 12);
            }
            DMatrixRMaj a = new DMatrixRMaj(rows, cols);
            double[] rowMax = new double[rows];
            double[] rowSum = new double[rows];
            ActivationFunctions.softmax(z, a, rowMax, rowSum, new double[2 * rows * cols]);
            double[] expected = new double[cols];
            for (int r = 0; r < rows; r++) {
                double max = ActivationFunctions.rowMax(z.data, r * cols, cols);
                double[] row = java.util.Arrays.copyOfRange(z.data, r * cols, r * cols + cols);
                double sum = ActivationFunctions.softmaxRow(row, expected, 0, cols, max);
                assertThat(rowMax[r]).isEqualTo(max);
                assertThat(Double.doubleToRawLongBits(rowSum[r])).as("sum of row %d", r)
                        .isEqualTo(Double.doubleToRawLongBits(sum));
                for (int j = 0; j < cols; j++) {
                    assertThat(Double.doubleToRawLongBits(a.data[r * cols + j])).as("row %d col %d", r, j)
                            .isEqualTo(Double.doubleToRawLongBits(expected[j]));
                }
            }
        }
    }

    /** b and its four neighbours either side (ulp steps). */
    private static void around(List<Double> values, double b) {
        double v = b;
        for (int i = 0; i < 4; i++) {
            v = Math.nextDown(v);
        }
        for (int i = 0; i < 9; i++) {
            values.add(v);
            v = Math.nextUp(v);
        }
    }

    private static void assertSameAsStrictMath(double[] args) {
        // every argument at every lane position and next to every other kind of lane: three offsets
        for (int shift = 0; shift < 3; shift++) {
            double[] a = new double[args.length + shift];
            System.arraycopy(args, 0, a, shift, args.length);
            VectorizedExp.expInPlace(a, shift, a.length, new double[2 * a.length]);
            for (int i = 0; i < args.length; i++) {
                double expected = StrictMath.exp(args[i]);
                if (Double.doubleToRawLongBits(a[i + shift]) != Double.doubleToRawLongBits(expected)) {
                    assertThat(a[i + shift]).as("exp(%s) = exp(%a), shift %d", args[i], args[i], shift)
                            .isEqualTo(expected);
                    assertThat(Double.doubleToRawLongBits(a[i + shift])).as("bits of exp(%a)", args[i])
                            .isEqualTo(Double.doubleToRawLongBits(expected));
                }
            }
        }
    }
}
