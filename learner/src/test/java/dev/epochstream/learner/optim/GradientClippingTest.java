package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

    /** Tensor 0 (1×2) has gradient (3, 4), norm 5; tensor 1 (1×1) has 12: global norm 13. */
    private static Parameters threeFourTwelve() {
        return new Parameters(new double[][] {new double[2], new double[1]},
                new double[][] {{3, 4}, {12}}, new int[] {1, 1}, new int[] {2, 1});
    }

    @Test
    void scalesEveryGradientToTheMaxNorm() {
        Parameters params = threeFourTwelve();
        double total = GradientClipping.clipByGlobalNorm(params, 6.5);
        assertThat(total).isCloseTo(13, within(1e-12));
        double coef = 6.5 / (13 + 1e-6);
        assertThat(params.grad(0)[0]).isCloseTo(3 * coef, within(1e-12));
        assertThat(params.grad(0)[1]).isCloseTo(4 * coef, within(1e-12));
        assertThat(params.grad(1)[0]).isCloseTo(12 * coef, within(1e-12));
        double clipped = Math.sqrt(params.grad(0)[0] * params.grad(0)[0] + params.grad(0)[1] * params.grad(0)[1]
                + params.grad(1)[0] * params.grad(1)[0]);
        assertThat(clipped).isLessThan(6.5).isCloseTo(6.5, within(1e-6));
    }

    @Test
    void leavesGradientsUnderTheMaxUntouched() {
        Parameters params = threeFourTwelve();
        assertThat(GradientClipping.clipByGlobalNorm(params, 13.5)).isCloseTo(13, within(1e-12));
        assertThat(params.grad(0)).containsExactly(3, 4);
        assertThat(params.grad(1)).containsExactly(12);
    }

    @Test
    void sparseTensorReadsAndScalesOnlyTouchedColumnsAndMatchesDense() {
        // 2×3 tensor with gradient only in columns 0 and 2; a stale value in column 1 must be ignored.
        double[] sparseGrad = {1, 99, 2, 3, 99, -4};
        double[] denseGrad = {1, 0, 2, 3, 0, -4};
        Parameters sparse = new Parameters(new double[][] {new double[6]}, new double[][] {sparseGrad},
                new int[] {2}, new int[] {3});
        sparse.markSparse(0, new int[] {0, 2}, 2);
        Parameters dense = new Parameters(new double[][] {new double[6]}, new double[][] {denseGrad},
                new int[] {2}, new int[] {3});
        double expectedNorm = Math.sqrt(1 + 4 + 9 + 16);
        assertThat(GradientClipping.clipByGlobalNorm(sparse, 1)).isCloseTo(expectedNorm, within(1e-12))
                .isEqualTo(GradientClipping.clipByGlobalNorm(dense, 1));
        double coef = 1 / (expectedNorm + 1e-6);
        assertThat(sparseGrad[5]).isCloseTo(-4 * coef, within(1e-12));
        assertThat(sparseGrad[1]).isEqualTo(99);
        for (int i : new int[] {0, 2, 3, 5}) {
            assertThat(sparseGrad[i]).isEqualTo(denseGrad[i]);
        }
    }

    /**
     * Touched columns not in ascending order (as the workspace lists them: first seen in the batch), with values
     * whose sum of squares depends on the order: the norm and the scaled gradients must still be the dense
     * run's bit for bit, in both forms of the sparse gradient.
     */
    @Test
    void unsortedTouchedColumnsGiveTheDenseNormBitForBit() {
        int rows = 2;
        int cols = 20;
        int[] touched = new int[17];
        touched[0] = 19;
        for (int j = 1; j < touched.length; j++) {
            touched[j] = j - 1;
        }
        // row 0: 2^27 at column 19 and 1 at columns 0..15 (2^54 + 16 summed ascending, 2^54 summed as listed)
        double[] dense = new double[rows * cols];
        dense[19] = 1 << 27;
        for (int c = 0; c < 16; c++) {
            dense[c] = 1;
            dense[cols + c] = 0.5 + c;
        }
        dense[cols + 19] = -3e7;
        double asListed = 0;
        for (int row = 0; row < rows * cols; row += cols) {
            for (int c : touched) {
                asListed += dense[row + c] * dense[row + c];
            }
        }
        Parameters reference = new Parameters(new double[][] {new double[rows * cols]},
                new double[][] {dense.clone()}, new int[] {rows}, new int[] {cols});
        double expected = GradientClipping.clipByGlobalNorm(reference, 1);
        assertThat(Math.sqrt(asListed)).as("the data is order-sensitive").isNotEqualTo(expected);

        Parameters packed = new Parameters(new double[][] {new double[rows * cols]},
                new double[][] {new double[rows * cols]}, new int[] {rows}, new int[] {cols});
        double[] storage = packed.packedGradStorage(rows * touched.length);
        for (int o = 0, p = 0; o < rows; o++) {
            for (int c : touched) {
                storage[p++] = dense[o * cols + c];
            }
        }
        packed.markSparsePacked(0, touched, touched.length);
        Parameters denseSparse = new Parameters(new double[][] {new double[rows * cols]},
                new double[][] {dense.clone()}, new int[] {rows}, new int[] {cols});
        denseSparse.markSparse(0, touched, touched.length);
        for (Parameters sparse : new Parameters[] {packed, denseSparse}) {
            assertThat(Double.doubleToRawLongBits(GradientClipping.clipByGlobalNorm(sparse, 1)))
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            double[] g = sparse.grad(0);
            for (int i = 0; i < g.length; i++) {
                assertThat(Double.doubleToRawLongBits(g[i])).as("element %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(reference.grad(0)[i]));
            }
        }
    }

    @Test
    void refusesANonPositiveMaxNorm() {
        assertThatThrownBy(() -> GradientClipping.clipByGlobalNorm(threeFourTwelve(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNorm");
    }
}
