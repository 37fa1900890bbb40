package dev.epochstream.learner.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DenseLayerMath}'s sums, bit for bit, computed with the Java Vector API: each SIMD lane carries one
 * of those sums through the same sequence of roundings (start at 0.0, add x·w term by term in ascending
 * index order with a separate multiply and add, bias last), so the lanes side by side change how many sums
 * run at once, never a sum's value. Java evaluates double arithmetic strictly and never contracts a·b + c
 * into a fused multiply-add, in vectors as in scalars, which is what keeps the results the same on every
 * machine whatever its vector width.
 *
 * <p>Why lanes across outputs (or inputs) instead of across the summed index: vectorising a dot product
 * along its own index would split it into partial sums, a different rounding order. Here every lane is a
 * different output, so the forward pass reads W transposed ({@code in x out}, each row padded to whole
 * vectors), built once per call into a scratch array; the backward products already read contiguous rows.
 * Register blocks of four rows by two vectors keep eight independent chains of additions in flight.
 *
 * <p>Measured (the scalar 2 x 8 kernels vs these, [100 rows, 64 in, 32 out] forward, AVX-512): 4.9 vs 17
 * G multiply-adds/s. Small shapes where the transposition or the partial vectors do not pay (fewer than four
 * rows, fewer outputs or inputs than a vector's lanes) go to {@link DenseLayerMath}, which gives the same
 * doubles.
 *
 * <p>Needs the incubator module in the JVM ({@code --add-modules jdk.incubator.vector}); {@link Gemm} checks
 * for it before touching this class (whose constants would fail to load without it) and falls back to
 * {@link ReproducibleProducts} otherwise; {@link SimdGuard} sends the products to the scalar kernels while
 * a compilation of these runs without SIMD instructions. One instance per {@link Workspace}: the transposition scratch
 * makes it single-threaded.
 */
final class VectorizedProducts implements DenseProducts {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Below this many rows a forward pass goes to the scalar kernel: the transposition would not pay. */
    private static final int MIN_FORWARD_ROWS = 4;
    /** Sends the products to {@link DenseLayerMath} while C2's compilation of these kernels boxes vectors. */
    private static final SimdGuard GUARD = SimdGuard.PRODUCTS;

    /** W transposed, in x paddedOut, for the forward pass of the layer in hand. */
    private final double[] transposed;
    /** The sums of a block that runs into the padding, before the bias and the copy into place. */
    private final double[] partial = new double[8 * LANES];

    /**
     * @param sizes the network's layer sizes (input first), to size the transposition scratch
     * @param sparseInput whether the first layer's input is sparse (its forward pass never comes here)
     */
    VectorizedProducts(int[] sizes, boolean sparseInput) {
        // only the layers whose forward pass this class transposes: a sparse first layer of 2^20 inputs would
        // otherwise ask for 8 M doubles it never uses
        int max = 0;
        for (int l = sparseInput ? 1 : 0; l + 1 < sizes.length; l++) {
            if (sizes[l + 1] >= LANES) {
                max = Math.max(max, sizes[l] * paddedWidth(sizes[l + 1]));
            }
        }
        this.transposed = new double[max];
    }

    /** The vector width in doubles that this JVM uses (8 with AVX-512, 4 with AVX2). */
    static int lanes() {
        return LANES;
    }

    private static int paddedWidth(int out) {
        return (out + LANES - 1) / LANES * LANES;
    }

    @Override
    public void forward(double[] x, int n, int in, double[] w, double[] b, int out, double[] z) {
        long sample = n < MIN_FORWARD_ROWS || out < LANES ? SimdGuard.SCALAR : GUARD.start();
        if (sample == SimdGuard.SCALAR) {
            DenseLayerMath.forwardDense(x, n, in, w, b, out, z);
            return;
        }
        int stride = paddedWidth(out);
        double[] wt = transposed;
        for (int o = 0; o < out; o++) {
            int wo = o * in;
            for (int k = 0, t = o; k < in; k++, t += stride) {
                wt[t] = w[wo + k];
            }
        }
        // z[r][o] = Σ_k x[r][k]·Wᵀ[k][o] + b[o]: rows are the a-side, outputs the lanes
        blocks(x, in, 1, n, wt, stride, in, stride, out, z, out, b);
        GUARD.finish(sample);
    }

    @Override
    public void weightGradient(double[] delta, double[] x, int n, int in, int out, double[] dw, double[] db) {
        long sample = in < LANES ? SimdGuard.SCALAR : GUARD.start();
        if (sample == SimdGuard.SCALAR) {
            DenseLayerMath.weightGradientDense(delta, x, n, in, out, dw, db);
            return;
        }
        // dW[o][k] = Σ_r δ[r][o]·x[r][k]: outputs are the a-side, inputs the lanes
        blocks(delta, 1, out, out, x, in, n, in / LANES * LANES, in, dw, in, null);
        GUARD.finish(sample);
        DenseLayerMath.biasGradient(delta, n, out, db);
    }

    @Override
    public void inputGradient(double[] delta, double[] w, int n, int in, int out, double[] g) {
        long sample = in < LANES ? SimdGuard.SCALAR : GUARD.start();
        if (sample == SimdGuard.SCALAR) {
            DenseLayerMath.inputGradient(delta, w, n, in, out, g);
            return;
        }
        // g[r][k] = Σ_o δ[r][o]·W[o][k]: rows are the a-side, inputs the lanes
        blocks(delta, out, 1, n, w, in, out, in / LANES * LANES, in, g, in, null);
        GUARD.finish(sample);
    }

    /**
     * c[i·cRow + j] = Σ_t a[i·aRow + t·aStep]·b[t·bStep + j] (+ bias[j]) for i < rows and j < columns, each sum
     * over t < terms in ascending order from 0.0, the bias (when not null) last: what all three products
     * are, with different strides. Lanes run over j up to {@code width} (a multiple of the vector length, the
     * b rows readable that far), in blocks of four rows by two vectors, then one row or one vector at a time;
     * lanes at or past {@code columns} are dropped, and columns past {@code width} are summed one at a time.
     */
    private void blocks(double[] a, int aRow, int aStep, int rows, double[] b, int bStep, int terms, int width,
                        int columns, double[] c, int cRow, double[] bias) {
        int valid = Math.min(width, columns);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int j = 0;
            for (; j + 2 * LANES <= width; j += 2 * LANES) {
                fourByTwoVectors(a, i * aRow, aRow, aStep, b, j, bStep, terms, c, i * cRow + j, cRow, bias, j,
                        valid - j);
            }
            for (int row = i; j < width && row < i + 4; row++) {
                oneByOneVector(a, row * aRow, aStep, b, j, bStep, terms, c, row * cRow + j, bias, j, valid - j);
            }
        }
        for (; i < rows; i++) {
            for (int j = 0; j < width; j += LANES) {
                oneByOneVector(a, i * aRow, aStep, b, j, bStep, terms, c, i * cRow + j, bias, j, valid - j);
            }
        }
        for (int row = 0; row < rows; row++) {
            for (int j = width; j < columns; j++) {
                c[row * cRow + j] = dot(a, row * aRow, aStep, b, j, bStep, terms);
            }
        }
    }

    /**
     * The core of all three products, four rows of sums by two vectors of lanes:
     * c[c0 + i·cRow + j] = Σ_t a[a0 + i·aRow + t·aStep]·b[b0 + t·bStep + j] (+ bias[bias0 + j]) for i < 4 and
     * j < min(valid, 2·LANES), each over t < terms in ascending order from 0.0, the bias (when not null) last;
     * the b rows must hold 2·LANES readable entries, the lanes j ≥ valid are computed and dropped.
     */
    private void fourByTwoVectors(double[] a, int a0, int aRow, int aStep, double[] b, int b0, int bStep, int terms,
                                  double[] c, int c0, int cRow, double[] bias, int bias0, int valid) {
        if (valid >= 2 * LANES) {
            fourByTwoVectorsWhole(a, a0, aRow, aStep, b, b0, bStep, terms, c, c0, cRow, bias, bias0);
            return;
        }
        // a block that runs into the padding: its sums go to the scratch, then the valid lanes into place
        double[] p = partial;
        fourByTwoVectorsWhole(a, a0, aRow, aStep, b, b0, bStep, terms, p, 0, 2 * LANES, null, 0);
        for (int i = 0; i < 4; i++) {
            copyValid(p, i * 2 * LANES, valid, c, c0 + i * cRow, bias, bias0);
        }
    }

    /**
     * {@link #fourByTwoVectors} with all 2·LANES lanes of each row stored. Kept small on purpose: C2 inlines
     * the Vector API's many small methods into this one compilation, and a compilation that runs out of its
     * node budget (NodeCountInliningCutoff) stops inlining, leaves vectors without an exact class and falls
     * back to the API's Java implementation, 6x slower than the scalar kernels. With the stores of the
     * partial case and a broadcast per multiplication written in, that happened in ~1 JVM in 7 on a loaded
     * machine. Hence one store sequence, and each row's multiplier broadcast once for both vectors (the
     * same operations: {@code v.mul(p)} is {@code v.mul(broadcast(p))}).
     */
    private static void fourByTwoVectorsWhole(double[] a, int a0, int aRow, int aStep, double[] b, int b0, int bStep,
                                              int terms, double[] c, int c0, int cRow, double[] bias, int bias0) {
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector u0 = s0;
        DoubleVector u1 = s0;
        DoubleVector u2 = s0;
        DoubleVector u3 = s0;
        for (int t = 0, ia = a0, ib = b0; t < terms; t++, ia += aStep, ib += bStep) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, b, ib);
            DoubleVector u = DoubleVector.fromArray(SPECIES, b, ib + LANES);
            DoubleVector p0 = DoubleVector.broadcast(SPECIES, a[ia]);
            DoubleVector p1 = DoubleVector.broadcast(SPECIES, a[ia + aRow]);
            DoubleVector p2 = DoubleVector.broadcast(SPECIES, a[ia + 2 * aRow]);
            DoubleVector p3 = DoubleVector.broadcast(SPECIES, a[ia + 3 * aRow]);
            s0 = s0.add(v.mul(p0));
            s1 = s1.add(v.mul(p1));
            s2 = s2.add(v.mul(p2));
            s3 = s3.add(v.mul(p3));
            u0 = u0.add(u.mul(p0));
            u1 = u1.add(u.mul(p1));
            u2 = u2.add(u.mul(p2));
            u3 = u3.add(u.mul(p3));
        }
        // no vector may cross a call that C2 does not inline (it would be boxed), hence the stores written out
        if (bias != null) {
            DoubleVector bv = DoubleVector.fromArray(SPECIES, bias, bias0);
            DoubleVector bu = DoubleVector.fromArray(SPECIES, bias, bias0 + LANES);
            s0 = s0.add(bv);
            s1 = s1.add(bv);
            s2 = s2.add(bv);
            s3 = s3.add(bv);
            u0 = u0.add(bu);
            u1 = u1.add(bu);
            u2 = u2.add(bu);
            u3 = u3.add(bu);
        }
        s0.intoArray(c, c0);
        u0.intoArray(c, c0 + LANES);
        s1.intoArray(c, c0 + cRow);
        u1.intoArray(c, c0 + cRow + LANES);
        s2.intoArray(c, c0 + 2 * cRow);
        u2.intoArray(c, c0 + 2 * cRow + LANES);
        s3.intoArray(c, c0 + 3 * cRow);
        u3.intoArray(c, c0 + 3 * cRow + LANES);
    }

    /** {@link #fourByTwoVectors} for one row and one vector: j < min(valid, LANES). */
    private void oneByOneVector(double[] a, int a0, int aStep, double[] b, int b0, int bStep, int terms,
                                double[] c, int c0, double[] bias, int bias0, int valid) {
        DoubleVector s = DoubleVector.zero(SPECIES);
        for (int t = 0, ia = a0, ib = b0; t < terms; t++, ia += aStep, ib += bStep) {
            s = s.add(DoubleVector.fromArray(SPECIES, b, ib).mul(a[ia]));
        }
        if (valid >= LANES) {
            if (bias != null) {
                s = s.add(DoubleVector.fromArray(SPECIES, bias, bias0));
            }
            s.intoArray(c, c0);
        } else {
            s.intoArray(partial, 0);
            copyValid(partial, 0, valid, c, c0, bias, bias0);
        }
    }

    /** c[c0 + j] = sums[from + j] (+ bias[bias0 + j]) for j < valid: a block that runs into the padding. */
    private static void copyValid(double[] sums, int from, int valid, double[] c, int c0, double[] bias, int bias0) {
        for (int j = 0; j < valid; j++) {
            c[c0 + j] = bias == null ? sums[from + j] : sums[from + j] + bias[bias0 + j];
        }
    }

    /** Σ_t a[a0 + t·aStep]·b[b0 + t·bStep], t ascending from 0.0: the entries past the last whole vector. */
    private static double dot(double[] a, int a0, int aStep, double[] b, int b0, int bStep, int terms) {
        double s = 0.0;
        for (int t = 0, ia = a0, ib = b0; t < terms; t++, ia += aStep, ib += bStep) {
            s += a[ia] * b[ib];
        }
        return s;
    }
}
