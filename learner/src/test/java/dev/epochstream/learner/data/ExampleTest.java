package dev.epochstream.learner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExampleTest {

    @Test
    void hasEitherDenseOrSparseFeatures() {
        assertThatThrownBy(() -> new Example("a", "k", 0, null, null, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either dense or sparse");
        assertThatThrownBy(() -> new Example("a", "k", 0, new double[1],
                new SparseVector(1, new int[0], new double[0]), null, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void featureSizeAndLabel() {
        Example d = Example.dense("a", "k", 5, new double[] {1, 2, 3}, null);
        assertThat(d.featureSize()).isEqualTo(3);
        assertThat(d.hasLabel()).isFalse();
        assertThat(d.weight()).isEqualTo(1.0);
        Example s = new Example("b", "k", 5, null, new SparseVector(7, new int[] {2}, new double[] {1}),
                new double[] {1}, 1, null);
        assertThat(s.featureSize()).isEqualTo(7);
        assertThat(s.hasLabel()).isTrue();
    }
}
