package dev.epochstream.learner.optim;

/**
 * Adam and AdamW, torch 1.13.1 {@code _single_tensor_adam} / {@code _single_tensor_adamw}:
 * <pre>
 *   step  = step + 1
 *   param = param·(1 − lr·weight_decay)                 (AdamW only, first)
 *   g     = grad + weight_decay·param                   (Adam only, when weight_decay != 0)
 *   m     = m·beta1 + (1 − beta1)·g
 *   v     = v·beta2 + (1 − beta2)·g·g
 *   vmax  = max(vmax, v)                                (amsgrad; then v̂ = vmax, else v̂ = v)
 *   bc1   = 1 − beta1^step,  bc2 = 1 − beta2^step       (StrictMath.pow, tabled by step: BiasCorrections)
 *   denom = sqrt(v̂) / sqrt(bc2) + eps
 *   param = param + (−lr / bc1)·m / denom
 * </pre>
 * State per tensor: {@code exp_avg}, {@code exp_avg_sq} (and {@code max_exp_avg_sq} with amsgrad),
 * zeroed. Sparse tensor: dense and exact by default (the moments of untouched columns still decay and
 * their parameters keep moving). With {@code lazy}, only the touched columns and their moments are
 * updated, with the bias correction of the global step (as TensorFlow's LazyAdam): this is not torch.
 */
public final class Adam extends ElementwiseOptimizer {
    private final OptimizerConfig config;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final boolean amsgrad;
    /** The bias corrections by step, shared by every model this instance updates. */
    private final BiasCorrections corrections;
    /** The step whose corrections are loaded in {@link #corrections}: looked up once per step, not per tensor. */
    private long correctedStep = -1;

    Adam(OptimizerConfig config, double beta1, double beta2, double eps, double weightDecay,
         boolean decoupled, boolean amsgrad, boolean lazy) {
        super(amsgrad ? 3 : 2, lazy);
        this.config = config;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.amsgrad = amsgrad;
        this.corrections = new BiasCorrections(beta1, beta2);
    }

    /** The config, an {@link AdamConfig} or an {@link AdamWConfig}. */
    @Override
    public OptimizerConfig config() {
        return config;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] expAvg = buffers[tensor * slots];
        double[] expAvgSq = buffers[tensor * slots + 1];
        double[] maxExpAvgSq = amsgrad ? buffers[tensor * slots + 2] : null;
        double decay = 1 - lr * weightDecay;
        if (step != correctedStep) {
            corrections.load(step);
            correctedStep = step;
        }
        double stepSize = lr / corrections.bias1();
        double bias2Sqrt = corrections.bias2Sqrt();
        if (count == 1 && stride == 1 && starts[0] == 0 && !decoupled && weightDecay == 0 && !amsgrad) {
            updateWhole(value, grad, expAvg, expAvgSq, n, stepSize, bias2Sqrt);
            return;
        }
        for (int r = 0; r < count; r++) {
            for (int i = starts[r], p = r; i < n; i += stride, p += count) {
                double g = grad[p];
                if (decoupled) {
                    value[i] = value[i] * decay;            // param.mul_(1 - lr * weight_decay)
                } else if (weightDecay != 0) {
                    g = g + weightDecay * value[i];          // grad.add(param, alpha=weight_decay)
                }
                expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * g;       // mul_(beta1).add_(grad, alpha=1-beta1)
                expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g; // mul_(beta2).addcmul_(g, g, 1-beta2)
                double second = expAvgSq[i];
                if (amsgrad) {
                    maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], second); // torch.maximum(..., out=max_exp_avg_sqs)
                    second = maxExpAvgSq[i];
                }
                double denom = Math.sqrt(second) / bias2Sqrt + eps;     // (v.sqrt() / sqrt(bc2)).add_(eps)
                value[i] = value[i] + -stepSize * expAvg[i] / denom;    // addcdiv_(m, denom, value=-step_size)
            }
        }
    }

    /**
     * The loop above for a whole tensor without weight decay or amsgrad (the default), written with unit
     * stride and no branches so that the JIT vectorises it, divisions and square roots included (both
     * correctly rounded, so the same doubles). With the bias correction saturated at √bc2 = 1.0, the
     * division by it, which then changes nothing (x / 1.0 = x), is left out.
     */
    private void updateWhole(double[] value, double[] grad, double[] expAvg, double[] expAvgSq, int n,
                             double stepSize, double bias2Sqrt) {
        double b1 = beta1;
        double b2 = beta2;
        double c1 = 1 - beta1;
        double c2 = 1 - beta2;
        double e = eps;
        double negStep = -stepSize;
        if (bias2Sqrt == 1.0) {
            for (int i = 0; i < n; i++) {
                double g = grad[i];
                double m = expAvg[i] * b1 + c1 * g;
                double v = expAvgSq[i] * b2 + c2 * g * g;
                expAvg[i] = m;
                expAvgSq[i] = v;
                value[i] = value[i] + negStep * m / (Math.sqrt(v) + e);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double g = grad[i];
                double m = expAvg[i] * b1 + c1 * g;
                double v = expAvgSq[i] * b2 + c2 * g * g;
                expAvg[i] = m;
                expAvgSq[i] = v;
                value[i] = value[i] + negStep * m / (Math.sqrt(v) / bias2Sqrt + e);
            }
        }
    }
}
