package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.LinkedHashSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse first layer's packed weight gradient against a plain reference loop written here: for every row
 * r, output o and non-zero p of the row, {@code ref[o][column(p)] += δ[r][o]·value(p)} from 0.0, over the
 * workspace's own δ. Bit for bit, over first layers of one to five outputs, columns shared between rows, and
 * batches that follow a scatter of the dense gradient or a dense gradient written by someone else.
 */
class PackedSparseGradientTest {

    static Stream<int[]> layers() {
        return Stream.of(new int[] {7, 1}, new int[] {64, 3}, new int[] {17, 3, 2}, new int[] {1 << 10, 5, 1},
                new int[] {1 << 12, 3, 4, 1}, new int[] {1 << 12, 1}, new int[] {33, 1, 3});
    }

    @ParameterizedTest
    @MethodSource("layers")
    void packedGradientEqualsThePlainLoopBitForBit(int[] sizes) {
        List<Activation> activations = new ArrayList<>(Collections.nCopies(sizes.length - 2, Activation.TANH));
        activations.add(Activation.IDENTITY);
        Network net = new Network(new NetworkSpec(sizes, activations, 0.01, Initialization.XAVIER, sizes[0]));
        int outputs = sizes[sizes.length - 1];
        Workspace ws = new Workspace(net, Losses.create("mse", 1, 1, Activation.IDENTITY, 0.01), 9, true);
        Parameters params = net.parameters();
        SplittableRandom random = new SplittableRandom(sizes.length * 31L + sizes[0]);
        int in = sizes[0];
        int out = sizes[1];
        for (int batch = 0; batch < 12; batch++) {
            int n = 1 + random.nextInt(9);
            int[][] columns = new int[n][];
            double[][] values = new double[n][];
            ws.input().clear();
            for (int r = 0; r < n; r++) {
                // columns drawn from a narrow range half of the time, so that rows share many
                int range = random.nextBoolean() ? Math.min(in, 12) : in;
                columns[r] = distinctSorted(random, random.nextInt(Math.min(range, 10) + 1), range);
                values[r] = new double[columns[r].length];
                ws.input().beginRow();
                for (int p = 0; p < columns[r].length; p++) {
                    values[r][p] = random.nextGaussian();
                    ws.input().put(columns[r][p], values[r][p]);
                }
                ws.input().endRow();
                for (int t = 0; t < outputs; t++) {
                    ws.targets().data[r * outputs + t] = random.nextGaussian();
                }
            }
            if (batch % 4 == 3) {
                // someone else's dense gradient in between: every element non-zero
                Arrays.fill(params.grad(0), 1e9 + batch);
                params.markDense();
            }
            ws.computeGradients();

            double[] delta = ws.delta(0).data;
            double[] ref = new double[out * in];
            double[] refBias = new double[out];
            // the columns in the order the batch first has them
            LinkedHashSet<Integer> touched = new LinkedHashSet<>();
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    for (int p = 0; p < columns[r].length; p++) {
                        ref[o * in + columns[r][p]] += delta[r * out + o] * values[r][p];
                    }
                    refBias[o] += delta[r * out + o];
                }
                for (int c : columns[r]) {
                    touched.add(c);
                }
            }
            int[] expectedColumns = touched.stream().mapToInt(Integer::intValue).toArray();
            assertThat(params.sparseTensor()).isZero();
            assertThat(params.gradPacked()).isTrue();
            assertThat(Arrays.copyOf(params.touchedColumns(), params.touchedCount())).isEqualTo(expectedColumns);
            double[] packed = params.packedGrad();
            int count = expectedColumns.length;
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < count; j++) {
                    assertThat(Double.doubleToRawLongBits(packed[o * count + j])).as("batch %d (%d, %d)", batch, o, j)
                            .isEqualTo(Double.doubleToRawLongBits(ref[o * in + expectedColumns[j]]));
                }
            }
            assertThat(bits(params.grad(1))).isEqualTo(bits(refBias));
            if (batch % 2 == 1) {
                // the dense form, zero outside the touched columns whatever earlier batches left there
                assertThat(bits(params.grad(0))).as("batch %d", batch).isEqualTo(bits(ref));
                assertThat(params.gradPacked()).isFalse();
            }
        }
    }

    private static int[] distinctSorted(SplittableRandom random, int k, int range) {
        TreeSet<Integer> set = new TreeSet<>();
        while (set.size() < k) {
            set.add(random.nextInt(range));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToRawLongBits(a[i]);
        }
        return out;
    }
}
