package dev.epochstream.learner.epoch;

/**
 * A prediction for one event.
 *
 * @param predictedClass the class index for classification and distribution tasks, else -1
 * @param scores the output layer's values (probabilities for softmax/sigmoid outputs)
 * @param modelVersion the version of the model that produced it
 */
public record Scored(TaskType task, int predictedClass, double[] scores, long modelVersion) {

    /**
     * The prediction as the {@code predict} command and the Prediction record show it: the class index
     * for classification, the value for a one-output regression, else the output vector (0/1 per label for
     * multilabel).
     */
    public Object prediction() {
        return switch (task) {
            case CLASSIFICATION -> predictedClass;
            case REGRESSION -> scores.length == 1 ? (Object) scores[0] : scores.clone();
            case MULTILABEL -> {
                double[] v = new double[scores.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = scores[k] > 0.5 ? 1.0 : 0.0;
                }
                yield v;
            }
            default -> scores.clone();
        };
    }
}
