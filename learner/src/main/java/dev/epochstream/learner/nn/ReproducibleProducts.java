package dev.epochstream.learner.nn;

/**
 * The default products: {@link DenseLayerMath}'s plain loops, whose fixed summation order gives the same
 * doubles on every machine. Stateless.
 */
final class ReproducibleProducts implements DenseProducts {
    static final ReproducibleProducts INSTANCE = new ReproducibleProducts();

    private ReproducibleProducts() {
    }

    @Override
    public void forward(double[] x, int n, int in, double[] w, double[] b, int out, double[] z) {
        DenseLayerMath.forwardDense(x, n, in, w, b, out, z);
    }

    @Override
    public void weightGradient(double[] delta, double[] x, int n, int in, int out, double[] dw, double[] db) {
        DenseLayerMath.weightGradientDense(delta, x, n, in, out, dw, db);
    }

    @Override
    public void inputGradient(double[] delta, double[] w, int n, int in, int out, double[] g) {
        DenseLayerMath.inputGradient(delta, w, n, in, out, g);
    }
}
