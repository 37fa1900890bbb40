package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.nn.BlasProducts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * learner.gemm=blas trains like the reproducible products: on three Gaussian blobs, a [8,24,16,3] relu
 * network with Adam learns the classes under both, and every epoch's losses agree to rounding (the BLAS sums
 * in another order, so the two runs drift apart by rounding errors only). With a native BLAS the two runs
 * must differ in some bit, which shows that the configured key reached the products.
 */
class BlasGemmTrainingTest {
    private static final int EPOCHS = 25;
    private static final int WINDOW = 96;

    @Test
    void blasTrainsLikeTheReproducibleProducts() {
        List<List<Example>> windows = blobWindows();
        List<EpochResult> reproducible = train("reproducible", windows);
        List<EpochResult> blas = train("blas", windows);

        for (List<EpochResult> run : List.of(reproducible, blas)) {
            double first = run.get(0).trainingLoss();
            double last = run.get(EPOCHS - 1).trainingLoss();
            assertThat(last).isLessThan(first / 4);
            assertThat(run.get(EPOCHS - 1).prequential().accuracy()).isGreaterThan(0.95);
        }
        boolean anyBitDiffers = false;
        for (int e = 0; e < EPOCHS; e++) {
            double expected = reproducible.get(e).trainingLoss();
            anyBitDiffers |= Double.doubleToRawLongBits(blas.get(e).trainingLoss()) != Double.doubleToRawLongBits(expected);
            assertThat(blas.get(e).trainingLoss()).as("epoch %d", e)
                    .isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            double preq = reproducible.get(e).prequential().loss();
            assertThat(blas.get(e).prequential().loss()).as("epoch %d", e)
                    .isCloseTo(preq, within(1e-9 * Math.abs(preq)));
        }
        if (BlasProducts.implementationName().endsWith(".JNIBLAS")) {
            // a native BLAS (OpenBLAS here) blocks and fuses its sums: proof that the key reached the products
            assertThat(anyBitDiffers).as("native BLAS gave the reproducible doubles bit for bit").isTrue();
        }
    }

    private static List<EpochResult> train(String gemm, List<List<Example>> windows) {
        EpochTrainer t = new EpochTrainer(config("model.layers", "8,24,16,3", "model.activations", "relu,relu,softmax",
                "model.loss", "cce", "optimizer", "adam", "optimizer.lr", "0.01", "train.batch-size", "8",
                "model.seed", "5", "learner.gemm", gemm));
        ModelState m = t.newModel("k");
        List<EpochResult> results = new ArrayList<>();
        for (List<Example> w : windows) {
            results.add(t.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0));
        }
        return results;
    }

    /** Class c's points scatter (sd 0.5) around a centre with 2 in coordinates c, c+3 (mod 8) and 0 elsewhere. */
    private static List<List<Example>> blobWindows() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<List<Example>> windows = new ArrayList<>();
        int id = 0;
        for (int e = 0; e < EPOCHS; e++) {
            List<Example> w = new ArrayList<>();
            for (int i = 0; i < WINDOW; i++) {
                int c = rnd.nextInt(3);
                double[] x = new double[8];
                for (int k = 0; k < 8; k++) {
                    double centre = k == c || k == (c + 3) % 8 ? 2 : 0;
                    x[k] = centre + 0.5 * rnd.nextGaussian();
                }
                w.add(Example.dense("e" + id++, "k", id, x, new double[] {c}));
            }
            windows.add(w);
        }
        return windows;
    }
}
