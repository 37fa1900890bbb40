package dev.epochstream.learner.nn;

/**
 * The three dense matrix products of a layer z = x·Wᵀ + b and of its backward pass, over row-major
 * {@code double[]} (x and δ have n rows; W is out x in). Output argument last; implementations allocate
 * nothing per call and read only the first rows·columns entries of each array, so arrays with spare
 * capacity are fine. Sparse inputs never come here: they keep their own kernels in {@link DenseLayerMath}.
 */
interface DenseProducts {

    /** z[r][o] = Σ_k x[r][k]·W[o][k] + b[o] for rows r < n; overwrites z (n x out). */
    void forward(double[] x, int n, int in, double[] w, double[] b, int out, double[] z);

    /** dW[o][k] = Σ_r δ[r][o]·x[r][k] and db[o] = Σ_r δ[r][o]; overwrites dW (out x in) and db (out). */
    void weightGradient(double[] delta, double[] x, int n, int in, int out, double[] dw, double[] db);

    /** g[r][k] = Σ_o δ[r][o]·W[o][k], dL/dx of the layer input; overwrites g (n x in). */
    void inputGradient(double[] delta, double[] w, int n, int in, int out, double[] g);
}
