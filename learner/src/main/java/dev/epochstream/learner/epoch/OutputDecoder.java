package dev.epochstream.learner.epoch;

import org.ejml.data.DMatrixRMaj;

/**
 * Reads a prediction out of one row of the output layer, the same way for prequential scoring,
 * validation, {@code predict} and the model client.
 *
 * <ul>
 *   <li>classification with K &gt; 1 outputs: the arg-max (ties to the lowest index);</li>
 *   <li>binary bce (sigmoid output): class 1 when the output is &gt; 0.5;</li>
 *   <li>binary hinge: class 1 when the score is &gt; 0 (labels {0,1} map to {-1,+1});</li>
 *   <li>multilabel: each output &gt; 0.5 is a 1;</li>
 *   <li>regression, distribution, embedding: the output values themselves.</li>
 * </ul>
 */
public final class OutputDecoder {
    private final String loss;
    private final int outputs;
    private final TaskType task;

    public OutputDecoder(String loss, int outputs) {
        this.loss = loss;
        this.outputs = outputs;
        this.task = TaskType.of(loss, outputs);
    }

    public TaskType task() {
        return task;
    }

    public int outputs() {
        return outputs;
    }

    /** The predicted class of {@code row} (classification and distribution tasks). */
    public int predictedClass(DMatrixRMaj out, int row) {
        int base = row * out.numCols;
        double[] a = out.data;
        if (outputs == 1) {
            double threshold = loss.equals("hinge") ? 0.0 : 0.5;
            return a[base] > threshold ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < outputs; k++) {
            if (a[base + k] > a[base + best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The model's probability of class {@code actual} in {@code row}, or NaN when the outputs are not
     * probabilities (hinge scores).
     */
    public double probabilityOf(DMatrixRMaj out, int row, int actual) {
        if (loss.equals("hinge")) {
            return Double.NaN;
        }
        double[] a = out.data;
        int base = row * out.numCols;
        if (outputs == 1) {
            return actual == 1 ? a[base] : 1.0 - a[base];
        }
        return a[base + actual];
    }

    /** The class a label stands for (class index, 0/1, or the arg-max of a distribution). */
    public int labelClass(double[] label) {
        if (task == TaskType.DISTRIBUTION) {
            int best = 0;
            for (int k = 1; k < label.length; k++) {
                if (label[k] > label[best]) {
                    best = k;
                }
            }
            return best;
        }
        return (int) label[0];
    }

    /** The prediction for {@code row}: decoded class (or -1) and a copy of the row's outputs. */
    public Scored scored(DMatrixRMaj out, int row, long version) {
        double[] scores = new double[outputs];
        System.arraycopy(out.data, row * out.numCols, scores, 0, outputs);
        int cls = task == TaskType.CLASSIFICATION || task == TaskType.DISTRIBUTION ? predictedClass(out, row) : -1;
        return new Scored(task, cls, scores, version);
    }
}
