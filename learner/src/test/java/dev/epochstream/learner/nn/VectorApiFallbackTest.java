package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#REPRODUCIBLE} trains to the same bits with and without the Vector API: this JVM (surefire adds
 * the module) runs {@link VectorizedProducts}; a child JVM without the module, and one with the module but
 * {@code -Depochstream.learner.vector=false}, fall back to {@link ReproducibleProducts} instead of failing to
 * load the vector classes, and end with the very same weights after forty steps of a four-layer network.
 */
class VectorApiFallbackTest {

    @Test
    void aJvmWithoutTheVectorModuleTrainsTheSameBitsOnTheScalarKernels() throws Exception {
        assertThat(Gemm.vectorApiEnabled()).isTrue();
        String expected = "vector=true " + trainAndDigest();

        assertThat(runChild(List.of())).isEqualTo(expected.replace("vector=true", "vector=false"));
        assertThat(runChild(List.of("--add-modules", "jdk.incubator.vector", "-Depochstream.learner.vector=false")))
                .isEqualTo(expected.replace("vector=true", "vector=false"));
    }

    /** The child's entry point: prints whether it used the Vector API and the digest of the trained weights. */
    public static void main(String[] args) {
        System.out.println("vector=" + Gemm.vectorApiEnabled() + " " + trainAndDigest());
    }

    /**
     * Forty steps of plain gradient descent on a [37, 29, 18, 5] tanh/relu/softmax network (shapes past the
     * vector blocks, with partial ones), batches of 4 to 13 rows; a hash of every weight's bits afterwards.
     */
    private static String trainAndDigest() {
        NetworkSpec spec = new NetworkSpec(new int[] {37, 29, 18, 5},
                List.of(Activation.TANH, Activation.RELU, Activation.SOFTMAX), 0.01, Initialization.XAVIER, 5L);
        Network net = new Network(spec);
        Workspace ws = new Workspace(net, Losses.create("cce", 1, 1, Activation.SOFTMAX, 0.01), 13, false,
                Gemm.REPRODUCIBLE);
        SplittableRandom rnd = new SplittableRandom(8);
        double[] row = new double[37];
        for (int step = 0; step < 40; step++) {
            int n = 4 + step % 10;
            ws.input().clear();
            ws.targets().reshape(n, 1);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = rnd.nextDouble(-2, 2);
                }
                ws.input().addDense(row);
                ws.targets().data[r] = rnd.nextInt(5);
            }
            ws.computeGradients();
            Parameters p = net.parameters();
            for (int t = 0; t < p.count(); t++) {
                double[] v = p.value(t);
                double[] g = p.grad(t);
                for (int i = 0; i < p.size(t); i++) {
                    v[i] -= 0.05 * g[i];
                }
            }
        }
        long hash = 17;
        Parameters p = net.parameters();
        for (int t = 0; t < p.count(); t++) {
            for (int i = 0; i < p.size(t); i++) {
                hash = hash * 31 + Double.doubleToRawLongBits(p.value(t)[i]);
            }
        }
        return "weights=" + Long.toHexString(hash);
    }

    private static String runChild(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(VectorApiFallbackTest.class.getName());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as("child JVM exit; stdout: %s", out).isZero();
        return out;
    }
}
