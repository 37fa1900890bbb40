package dev.epochstream.learner.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    private static final double[][] ROWS = {{1, 5, 0}, {2, 5, -3}, {4, 5, 0}, {7, 5, 6}, {-1.5, 5, 0}};

    private static Standardizer fed() {
        Standardizer s = new Standardizer(3);
        for (double[] r : ROWS) {
            s.update(Example.dense("a", "k", 0, r, null));
        }
        return s;
    }

    /** Two-pass mean and population variance of column {@code j}. */
    private static double[] meanAndVariance(int j) {
        double mean = 0;
        for (double[] r : ROWS) {
            mean += r[j];
        }
        mean /= ROWS.length;
        double ss = 0;
        for (double[] r : ROWS) {
            ss += (r[j] - mean) * (r[j] - mean);
        }
        return new double[] {mean, ss / ROWS.length};
    }

    @Test
    void welfordMatchesTwoPassMeanAndVariance() {
        Standardizer s = fed();
        assertThat(s.count()).isEqualTo(5);
        for (int j = 0; j < 3; j++) {
            double[] mv = meanAndVariance(j);
            assertThat(s.mean()[j]).isCloseTo(mv[0], within(1e-12));
            assertThat(s.m2()[j] / s.count()).isCloseTo(mv[1], within(1e-12));
        }
        // column 0: mean 12.5 / 5 = 2.5
        assertThat(s.mean()[0]).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void appliesTheZScoreAndCentresConstantInputs() {
        Standardizer s = fed();
        double[] mv = meanAndVariance(0);
        assertThat(s.apply(0, 3.0)).isCloseTo((3.0 - mv[0]) / Math.sqrt(mv[1]), within(1e-12));
        // column 1 is constant 5: std 0 counts as 1
        assertThat(s.m2()[1]).isZero();
        assertThat(s.apply(1, 5.0)).isZero();
        assertThat(s.apply(1, 7.0)).isCloseTo(2.0, within(1e-12));
        // no statistics yet: identity
        assertThat(new Standardizer(3).apply(2, 4.5)).isEqualTo(4.5);
    }

    @Test
    void sparseEventsCountTheirImplicitZeros() {
        Standardizer dense = fed();
        Standardizer sparse = new Standardizer(3);
        for (double[] r : ROWS) {
            int nnz = 0;
            for (double v : r) {
                nnz += v != 0 ? 1 : 0;
            }
            int[] idx = new int[nnz];
            double[] val = new double[nnz];
            for (int j = 0, k = 0; j < 3; j++) {
                if (r[j] != 0) {
                    idx[k] = j;
                    val[k++] = r[j];
                }
            }
            sparse.update(new Example("a", "k", 0, null, new SparseVector(3, idx, val), null, 1, null));
        }
        assertThat(sparse.mean()).containsExactly(dense.mean());
        assertThat(sparse.m2()).containsExactly(dense.m2());
    }

    @Test
    void copiesAreIndependent() {
        Standardizer s = fed();
        Standardizer c = s.copy();
        s.update(Example.dense("a", "k", 0, new double[] {100, 100, 100}, null));
        assertThat(c.count()).isEqualTo(5);
        assertThat(c.mean()[0]).isCloseTo(2.5, within(1e-12));
        Standardizer target = new Standardizer(3);
        target.copyFrom(s);
        assertThat(target.count()).isEqualTo(6);
        assertThat(target.mean()).containsExactly(s.mean());
        assertThatThrownBy(() -> new Standardizer(1, new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
