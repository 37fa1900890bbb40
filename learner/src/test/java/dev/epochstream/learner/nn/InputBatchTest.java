package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.data.SparseVector;
import org.junit.jupiter.api.Test;

class InputBatchTest {

    @Test
    void sparseRowsAreStoredAsCsrAndGrow() {
        InputBatch b = new InputBatch(100, 3, true);
        b.addSparse(new SparseVector(100, new int[] {2, 50}, new double[] {1.5, -2}));
        b.beginRow();
        for (int i = 0; i < 40; i++) {
            b.put(2 * i + 1, i);
        }
        b.endRow();
        b.addDense(denseWith(100, 7, 3.0));
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.isSparse()).isTrue();
        assertThat(b.nonZeros()).isEqualTo(43);
        assertThat(b.rowStart()[1]).isEqualTo(2);
        assertThat(b.rowStart()[2]).isEqualTo(42);
        assertThat(b.indices()[1]).isEqualTo(50);
        assertThat(b.values()[1]).isEqualTo(-2);
        assertThat(b.indices()[42]).isEqualTo(7);
        assertThatThrownBy(b::beginRow).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        b.clear();
        assertThat(b.size()).isZero();
        b.addDense(denseWith(100, 9, 1.0));
        assertThat(b.nonZeros()).isEqualTo(1);
    }

    @Test
    void denseRowsAreZeroedAtBeginRow() {
        InputBatch b = new InputBatch(4, 2, false);
        b.addDense(new double[] {1, 2, 3, 4});
        b.clear();
        b.beginRow();
        b.put(1, 5);
        b.endRow();
        assertThat(b.denseData()).startsWith(0, 5, 0, 0);
        assertThat(b.inputSize()).isEqualTo(4);
        assertThat(b.capacity()).isEqualTo(2);
    }

    @Test
    void denseAddDenseOverwritesTheWholeRowAndChecksRoom() {
        InputBatch b = new InputBatch(3, 2, false);
        b.beginRow();
        b.put(0, 9);
        b.put(2, 9);
        b.endRow();
        b.clear();
        double[] row = {-0.0, 0.0, 2.5};
        b.addDense(row);
        row[2] = 7; // copied, not kept
        b.addDense(new double[] {1, -1, 0});
        assertThat(b.size()).isEqualTo(2);
        assertThat(Double.doubleToRawLongBits(b.denseData()[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(b.denseData()).containsExactly(-0.0, 0.0, 2.5, 1, -1, 0);
        assertThatThrownBy(() -> b.addDense(new double[3])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full");
        b.clear();
        b.beginRow();
        assertThatThrownBy(() -> b.addDense(new double[3])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void indicesMustIncreaseWithinARowAndStayInRange() {
        InputBatch b = new InputBatch(10, 2, true);
        b.beginRow();
        b.put(3, 1);
        assertThatThrownBy(() -> b.put(3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put(10, 1)).isInstanceOf(IllegalArgumentException.class);
        b.endRow();
        assertThatThrownBy(() -> b.put(4, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addDense(new double[3])).isInstanceOf(IllegalArgumentException.class);
    }

    private static double[] denseWith(int size, int index, double v) {
        double[] d = new double[size];
        d[index] = v;
        return d;
    }

    @Test
    void putLeadingIsPutOfEachValueInOrder() {
        double[] x = {1.5, 0.0, -2.0, 0.0, 4.0};
        for (boolean sparse : new boolean[] {false, true}) {
            InputBatch byPut = new InputBatch(8, 2, sparse);
            InputBatch leading = new InputBatch(8, 2, sparse);
            for (int row = 0; row < 2; row++) {
                byPut.beginRow();
                leading.beginRow();
                for (int i = 0; i < 4; i++) {
                    byPut.put(i, x[i]);
                }
                leading.putLeading(x, 4);
                byPut.put(6, 9.0);
                leading.put(6, 9.0);
                byPut.endRow();
                leading.endRow();
            }
            if (sparse) {
                assertThat(leading.nonZeros()).isEqualTo(byPut.nonZeros()).isEqualTo(10);
                assertThat(leading.rowStart()).containsExactly(byPut.rowStart());
                assertThat(leading.indices()).startsWith(0, 1, 2, 3, 6, 0, 1, 2, 3, 6);
                assertThat(java.util.Arrays.copyOf(leading.values(), 10))
                        .containsExactly(java.util.Arrays.copyOf(byPut.values(), 10));
            } else {
                assertThat(leading.denseData()).containsExactly(byPut.denseData());
                assertThat(java.util.Arrays.copyOf(leading.denseData(), 8))
                        .containsExactly(1.5, 0.0, -2.0, 0.0, 0.0, 0.0, 9.0, 0.0);
            }
        }
        InputBatch b = new InputBatch(8, 1, false);
        b.beginRow();
        b.put(0, 1.0);
        assertThatThrownBy(() -> b.putLeading(x, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /** putAll against a put per entry: same CSR (or dense rows), across growth, and the same failures. */
    @Test
    void putAllIsPutOfEachEntryInOrder() {
        int[] index = {1, 4, 5, 9, 20, 33, 34, 60, 61, 62, 63, 70, 71, 72, 90, 99, 7};
        double[] value = new double[index.length];
        for (int k = 0; k < value.length; k++) {
            value[k] = 0.5 * k - 3;
        }
        for (boolean sparse : new boolean[] {false, true}) {
            InputBatch byPut = new InputBatch(100, 4, sparse);
            InputBatch all = new InputBatch(100, 4, sparse);
            for (int row = 0; row < 4; row++) {
                int n = 16 - 5 * row; // 16, 11, 6, 1 entries: the sparse buffers (16 to start) grow twice
                byPut.beginRow();
                all.beginRow();
                byPut.put(0, 9.0);
                all.put(0, 9.0);
                for (int k = 0; k < n; k++) {
                    byPut.put(index[k], value[k]);
                }
                all.putAll(index, value, n);
                byPut.endRow();
                all.endRow();
            }
            if (sparse) {
                assertThat(all.nonZeros()).isEqualTo(byPut.nonZeros()).isEqualTo(38);
                assertThat(all.rowStart()).containsExactly(byPut.rowStart());
                assertThat(java.util.Arrays.copyOf(all.indices(), 38))
                        .containsExactly(java.util.Arrays.copyOf(byPut.indices(), 38));
                assertThat(java.util.Arrays.copyOf(all.values(), 38))
                        .containsExactly(java.util.Arrays.copyOf(byPut.values(), 38));
            } else {
                assertThat(all.denseData()).containsExactly(byPut.denseData());
            }
            // a bad index keeps the entries before it, as a put loop would, and throws put's exception
            InputBatch b = new InputBatch(100, 2, sparse);
            b.beginRow();
            assertThatThrownBy(() -> b.putAll(index, value, index.length))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 7");
            b.endRow();
            if (sparse) {
                assertThat(b.nonZeros()).isEqualTo(index.length - 1);
                assertThat(b.indices()[15]).isEqualTo(99);
                assertThat(b.values()[15]).isEqualTo(value[15]);
            } else {
                assertThat(b.denseData()[99]).isEqualTo(value[15]);
            }
            assertThatThrownBy(() -> b.putAll(index, value, 1)).isInstanceOf(IllegalStateException.class);
            b.beginRow();
            assertThatThrownBy(() -> b.putAll(index, value, index.length + 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
