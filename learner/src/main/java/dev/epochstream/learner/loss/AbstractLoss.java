package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;

/**
 * What every loss shares: its name, the output activation it was created for, and the checks common to all
 * of them (matching activation, softmax over more than one output, label width, finite labels).
 */
abstract class AbstractLoss implements Loss {
    protected final String name;
    protected final Activation activation;
    protected final double slope;

    AbstractLoss(String name, Activation activation, double slope) {
        this.name = name;
        this.activation = activation;
        this.slope = slope;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The output activation this loss was created for. */
    public final Activation activation() {
        return activation;
    }

    @Override
    public final void validate(Activation outputActivation, int outputs) {
        if (outputActivation != activation) {
            throw new IllegalArgumentException("model.loss=" + name + " was created for a " + activation.configName()
                    + " output layer but model.activations ends with " + outputActivation.configName()
                    + ": create the loss with the network's output activation");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("model.layers: the output layer needs >= 1 unit, got " + outputs);
        }
        if (outputActivation == Activation.SOFTMAX && outputs == 1) {
            // softmax over one unit is the constant 1: its gradient is zero and nothing would ever train
            throw new IllegalArgumentException("model.activations: softmax over a single output is always 1 and"
                    + " cannot learn; use sigmoid with model.loss=bce, or give the last layer >= 2 units");
        }
        checkPairing(outputs);
    }

    /** Loss-specific refusals; {@link #validate} has done the common checks. */
    protected abstract void checkPairing(int outputs);

    @Override
    public final String labelProblem(double[] label, int outputs) {
        int width = targetWidth(outputs);
        if (label == null || label.length != width) {
            return "loss " + name + " expects a label of " + width + " value" + (width == 1 ? "" : "s") + ", got "
                    + (label == null ? "none" : String.valueOf(label.length));
        }
        for (int i = 0; i < label.length; i++) {
            if (!Double.isFinite(label[i])) {
                return "label value " + i + " is not finite (" + label[i] + ")";
            }
        }
        return valueProblem(label, outputs);
    }

    /** Loss-specific label check of a row of the right width and finite values. */
    protected abstract String valueProblem(double[] label, int outputs);

    /** Problem of a class index: integer in [0, classes), or null. */
    static String classIndexProblem(double v, int classes) {
        if (v != Math.rint(v) || v < 0 || v >= classes) {
            return "class index " + v + " is not an integer in [0, " + classes + ")";
        }
        return null;
    }

    /** Returns {@code v} when finite and above (or, if {@code zeroAllowed}, at) 0, else throws naming the key. */
    static double requireNonNegative(String key, double v, boolean zeroAllowed, double torchDefault) {
        if (!Double.isFinite(v) || v < 0 || (v == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException(key + " is " + v + ": it must be a finite number "
                    + (zeroAllowed ? ">= 0" : "> 0") + " (torch's default is " + torchDefault + ")");
        }
        return v;
    }

    /** Rejects a pairing with a message naming both keys. */
    final IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("model.loss=" + name + " with model.activations ending in "
                + activation.configName() + ": " + why);
    }

    @Override
    public String toString() {
        return name + "(" + activation.configName() + ")";
    }
}
