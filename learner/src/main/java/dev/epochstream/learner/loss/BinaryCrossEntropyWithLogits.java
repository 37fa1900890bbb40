package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code bce}: torch {@code BCEWithLogitsLoss} on the logits z of a sigmoid output layer. One output is a
 * binary label, K outputs are K independent labels (multi-label); targets in [0, 1].
 *
 * <p>Per element: max(z, 0) − z·t + log1p(exp(−|z|)) (the stable form of −t·log σ(z) − (1−t)·log(1−σ(z)),
 * finite for every finite z); mean over all n·k elements. dL/dz = (σ(z) − t)/(n·k).
 *
 * <p>Refused: any output activation but sigmoid. The loss is fused with the sigmoid, so the network's
 * output must be σ(z) for predictions to mean probabilities; softmax especially would couple labels that
 * BCE treats as independent.
 */
public final class BinaryCrossEntropyWithLogits extends AbstractLoss {

    public BinaryCrossEntropyWithLogits(Activation activation, double slope) {
        super("bce", activation, slope);
    }

    @Override
    protected void checkPairing(int outputs) {
        if (activation != Activation.SIGMOID) {
            throw refused("bce is computed from the logits of a sigmoid output; set the last activation to"
                    + " sigmoid (use cce for softmax over mutually exclusive classes)");
        }
    }

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        for (int i = 0; i < label.length; i++) {
            double t = label[i];
            if (outputs == 1 ? t != 0.0 && t != 1.0 : t < 0.0 || t > 1.0) {
                return outputs == 1 ? "binary label must be 0 or 1, got " + t
                        : "multi-label value " + i + " must be in [0, 1], got " + t;
            }
        }
        return null;
    }

    @Override
    public double value(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets) {
        return compute(z, targets, null);
    }

    @Override
    public double gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets, DMatrixRMaj gradZ) {
        gradZ.reshape(z.numRows, z.numCols);
        return compute(z, targets, gradZ.data);
    }

    /**
     * {@link ActivationFunctions#sigmoid}(x) given {@code e = exp(−|x|)}: the exponential that function takes
     * ({@code exp(−x)} for x >= 0, {@code exp(x)} below) is this one, so this is the same double, one exp fewer
     * (for a NaN logit a NaN, perhaps of another sign: the loss is then NaN and the step refused).
     */
    static double sigmoid(double x, double e) {
        return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    private static double compute(DMatrixRMaj z, DMatrixRMaj targets, double[] grad) {
        int n = z.numRows * z.numCols;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double x = z.data[i];
            double t = targets.data[i];
            // max(z, 0) − z·t + log(1 + e^−|z|)
            double e = StrictMath.exp(-Math.abs(x));
            sum += Math.max(x, 0.0) - x * t + StrictMath.log1p(e);
            if (grad != null) {
                grad[i] = (sigmoid(x, e) - t) / n;
            }
        }
        return sum / n;
    }
}
