package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two forms of the sparse tensor's gradient in {@link Parameters}: packed and dense, and the conversions. */
class PackedGradientTest {
    private static final int ROWS = 2;
    private static final int COLS = 5;

    private final double[] grad = new double[ROWS * COLS];
    private final Parameters params = new Parameters(new double[][] {new double[ROWS * COLS], new double[ROWS]},
            new double[][] {grad, new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});

    /** Declares a packed gradient of the given columns with values row by row. */
    private void packed(int[] columns, double... values) {
        double[] storage = params.packedGradStorage(values.length);
        System.arraycopy(values, 0, storage, 0, values.length);
        params.markSparsePacked(0, columns, columns.length);
    }

    @Test
    void aPackedGradientIsScatteredIntoTheDenseArrayOnlyWhenAskedFor() {
        packed(new int[] {1, 3}, 1, 2, 3, 4);
        assertThat(grad).containsOnly(0.0);
        assertThat(params.gradPacked()).isTrue();
        assertThat(params.grad(0)).containsExactly(0, 1, 0, 2, 0, 0, 3, 0, 4, 0);
        assertThat(params.gradPacked()).isFalse();
        // the dense form is current now: the packed view is gathered from it
        grad[8] = 40;
        assertThat(java.util.Arrays.copyOf(params.packedGrad(), 4)).containsExactly(1, 2, 3, 40);
    }

    @Test
    void unsortedColumnsScatterToTheirPlacesAndAreOrderedOnRequest() {
        packed(new int[] {3, 0, 4, 1}, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(java.util.Arrays.copyOf(params.ascendingTouchedOrder(), 4)).containsExactly(1, 3, 0, 2);
        assertThat(params.grad(0)).containsExactly(2, 4, 0, 1, 3, 6, 8, 0, 5, 7);
        // a new declaration is sorted anew, also in the dense form
        params.markSparse(0, new int[] {2, 1}, 2);
        assertThat(java.util.Arrays.copyOf(params.ascendingTouchedOrder(), 2)).containsExactly(1, 0);
        params.markSparse(0, new int[] {1, 2}, 2);
        assertThat(java.util.Arrays.copyOf(params.ascendingTouchedOrder(), 2)).containsExactly(0, 1);
        params.markDense();
        assertThatThrownBy(params::ascendingTouchedOrder).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aScatterClearsWhatTheEarlierScatterLeft() {
        packed(new int[] {1, 3}, 1, 2, 3, 4);
        params.grad(0);
        packed(new int[] {0, 3, 4}, 5, 6, 7, 8, 9, 10);
        assertThat(params.grad(0)).containsExactly(5, 0, 0, 6, 7, 8, 0, 0, 9, 10);
        packed(new int[] {2}, 11, 12);
        assertThat(params.grad(0)).containsExactly(0, 0, 11, 0, 0, 0, 0, 12, 0, 0);
    }

    @Test
    void aScatterAfterADenseGradientClearsTheWholeArray() {
        for (int i = 0; i < grad.length; i++) {
            grad[i] = 100 + i;
        }
        params.markDense();
        packed(new int[] {4}, 1, 2);
        assertThat(params.grad(0)).containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 0, 2);
    }

    @Test
    void aDenseSparseGradientIsGatheredWithoutChangingTheDenseArray() {
        double[] written = {0, 1, 0, 2, 0, 0, 3, 0, 4, 0};
        System.arraycopy(written, 0, grad, 0, written.length);
        params.markSparse(0, new int[] {1, 3}, 2);
        assertThat(java.util.Arrays.copyOf(params.packedGrad(), 4)).containsExactly(1, 2, 3, 4);
        assertThat(params.gradPacked()).isFalse();
        assertThat(params.grad(0)).containsExactly(written);
    }

    @Test
    void clippingScalesThePackedFormAndTheScatterShowsIt() {
        packed(new int[] {0, 2}, 3, 0, 0, 4);
        params.grad(1)[0] = 0;
        double norm = GradientClipping.clipByGlobalNorm(params, 1);
        assertThat(norm).isEqualTo(5.0);
        assertThat(params.gradPacked()).isTrue();
        double coef = 1 / (5.0 + GradientClipping.NORM_EPS);
        assertThat(params.grad(0)).containsExactly(3 * coef, 0, 0, 0, 0, 0, 0, 4 * coef, 0, 0);
    }

    @Test
    void zeroGradsZeroesBothForms() {
        packed(new int[] {1}, 1, 2);
        params.zeroGrads();
        assertThat(params.grad(0)).containsOnly(0.0);
        assertThat(params.packedGrad()[0]).isZero();
    }

    @Test
    void thereIsNoPackedGradientWithoutASparseTensor() {
        params.markDense();
        assertThatThrownBy(params::packedGrad).isInstanceOf(IllegalStateException.class);
    }
}
