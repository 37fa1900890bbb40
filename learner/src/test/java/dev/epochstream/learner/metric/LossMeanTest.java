package dev.epochstream.learner.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossMeanTest {

    @Test
    void weightsEachBatchMeanByItsSize() {
        LossMean m = new LossMean();
        m.update(0.5, 4); // Σ loss = 2.0
        m.update(2.0, 1); // Σ loss = 2.0
        m.update(1.0, 3); // Σ loss = 3.0
        // (2 + 2 + 3) / (4 + 1 + 3), not the unweighted (0.5 + 2 + 1) / 3
        assertThat(m.value()).isCloseTo(7.0 / 8, within(1e-12));
        assertThat(m.count()).isEqualTo(8);
        assertThat(m.batches()).isEqualTo(3);
    }

    @Test
    void emptyIsNaNAndBadBatchSizeIsRefused() {
        LossMean m = new LossMean();
        assertThat(m.value()).isNaN();
        assertThatThrownBy(() -> m.update(1.0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size");
        assertThat(m.count()).isZero();
    }

    @Test
    void mergeResetAndCopy() {
        LossMean a = new LossMean();
        a.update(1.0, 2);
        LossMean b = new LossMean();
        b.update(4.0, 1);
        LossMean bBefore = b.copy();
        a.merge(b);
        assertThat(b).isEqualTo(bBefore);
        // (1·2 + 4·1) / 3
        assertThat(a.value()).isCloseTo(2.0, within(1e-12));
        assertThat(a.batches()).isEqualTo(2);
        a.reset();
        assertThat(a).isEqualTo(new LossMean());
    }
}
