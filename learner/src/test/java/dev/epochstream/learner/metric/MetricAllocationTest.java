package dev.epochstream.learner.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-row and per-epoch paths allocate nothing in steady state. */
class MetricAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Generous against the few bytes the measurement itself may take; one boxed value per row would be MBs. */
    private static final long SLACK_BYTES = 4_096;

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void updatesMergesAndRollingValuesAllocateNothing() {
        RandomRows cls = RandomRows.classification(8, 1000, 4);
        RandomRows reg = RandomRows.regression(8, 1000, 3);
        Rolling<ClassificationMetrics> rollingCls = new Rolling<>(3, new ClassificationMetrics(4));
        Rolling<RegressionMetrics> rollingReg = new Rolling<>(3, new RegressionMetrics(3));
        LossMean loss = new LossMean();
        ClassificationMetrics other = new ClassificationMetrics(4);
        cls.feed(other, 0, 10);

        exercise(cls, reg, rollingCls, rollingReg, loss, other); // warm up: JIT, class loading
        long before = allocatedBytes();
        double sink = exercise(cls, reg, rollingCls, rollingReg, loss, other);
        long allocated = allocatedBytes() - before;

        assertThat(sink).isNotNaN();
        assertThat(allocated).isLessThan(SLACK_BYTES);
    }

    private static double exercise(RandomRows cls, RandomRows reg, Rolling<ClassificationMetrics> rollingCls,
            Rolling<RegressionMetrics> rollingReg, LossMean loss, ClassificationMetrics other) {
        double sink = 0;
        for (int epoch = 0; epoch < 20; epoch++) {
            rollingCls.startEpoch();
            rollingReg.startEpoch();
            cls.feed(rollingCls.current(), 0, 1000);
            reg.feed(rollingReg.current(), 0, 1000);
            rollingCls.current().merge(other);
            loss.update(0.5, 32);
            ClassificationMetrics c = rollingCls.value();
            RegressionMetrics r = rollingReg.value();
            sink += c.accuracy() + c.macroF1() + c.microF1() + c.f1() + c.logLoss() + r.r2() + r.rmse() + r.mae()
                    + loss.value();
        }
        return sink;
    }
}
