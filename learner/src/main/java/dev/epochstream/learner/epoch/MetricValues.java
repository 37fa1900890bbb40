package dev.epochstream.learner.epoch;

/**
 * Metric values of one set of scored events. NaN means "not applicable or not defined" (for example
 * accuracy of a regression model, or any metric of an empty set) and becomes null on the wire. Field
 * names equal the Avro {@code MetricValues} record's.
 */
public record MetricValues(long count, double loss, double accuracy, double precision, double recall, double f1,
                           double macroF1, double logLoss, double mae, double mse, double rmse, double r2) {

    public static final MetricValues EMPTY = new MetricValues(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
