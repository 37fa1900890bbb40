package dev.epochstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.schemas.LabelledEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

    private static List<LabelledEvent> take(EventGenerator g, int n) {
        List<LabelledEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(g.next());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyperplane", "sea", "rbf", "friedman"})
    void sameSeedGivesTheSameEventsAndAnotherSeedOthers(String name) {
        List<LabelledEvent> a = take(Generators.create(name, 3, 7), 600);
        List<LabelledEvent> b = take(Generators.create(name, 3, 7), 600);
        List<LabelledEvent> c = take(Generators.create(name, 3, 8), 600);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(0).getFeatures()).isNotEqualTo(c.get(0).getFeatures());
        assertThat(a).extracting(LabelledEvent::getId).isEqualTo(c.stream().map(LabelledEvent::getId).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyperplane", "sea", "rbf", "friedman"})
    void idsAreKeyAndCountAndTimeAdvancesTenMillisPerEvent(String name) {
        List<LabelledEvent> events = take(Generators.create(name, 3, 1), 7);
        assertThat(events).extracting(LabelledEvent::getKey)
                .containsExactly("model-0", "model-1", "model-2", "model-0", "model-1", "model-2", "model-0");
        assertThat(events).extracting(LabelledEvent::getId)
                .containsExactly("model-0-0", "model-1-0", "model-2-0", "model-0-1", "model-1-1", "model-2-1",
                        "model-0-2");
        for (int g = 0; g < events.size(); g++) {
            assertThat(events.get(g).getTime().toEpochMilli()).isEqualTo(1_704_067_200_000L + 10L * g);
        }
        Set<String> ids = new HashSet<>();
        for (LabelledEvent e : take(Generators.create(name, 4, 1), 2000)) {
            assertThat(ids.add(e.getId())).as("unique id %s", e.getId()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyperplane", "sea", "rbf", "friedman"})
    void aKeysStreamDoesNotDependOnHowManyKeysTheRunHas(String name) {
        List<LabelledEvent> alone = take(Generators.create(name, 1, 5), 50);
        List<LabelledEvent> ofThree = take(Generators.create(name, 3, 5), 150);
        for (int n = 0; n < 50; n++) {
            LabelledEvent a = alone.get(n);
            LabelledEvent b = ofThree.get(3 * n);
            assertThat(b.getId()).isEqualTo(a.getId());
            assertThat(b.getFeatures()).isEqualTo(a.getFeatures());
            assertThat(b.getLabel()).isEqualTo(a.getLabel());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyperplane", "sea", "rbf", "friedman"})
    void featuresHaveTheAnnouncedDimensionAndTheSuggestedInputSize(String name) {
        EventGenerator g = Generators.create(name, 1, 3);
        assertThat(g.suggestedConfig().get("model.layers")).startsWith(g.featureCount() + ",");
        assertThat(g.suggestedConfig()).containsKeys("model.activations", "model.loss");
        for (LabelledEvent e : take(g, 100)) {
            assertThat((List<?>) e.getFeatures()).hasSize(g.featureCount());
        }
    }

    @Test
    void rbfSuggestsTheBriefsNetwork() {
        assertThat(Generators.create("rbf", 1, 0).suggestedConfig())
                .containsEntry("model.layers", "10,32,5")
                .containsEntry("model.activations", "relu,softmax")
                .containsEntry("model.loss", "cce");
    }

    @Test
    void seaLabelsAreTheThresholdRuleOfTheCurrentConcept() {
        SeaGenerator sea = new SeaGenerator("k", 11, new SeaGenerator.Config(100, 0.0, 0));
        double[] expectedTheta = {8.0, 9.0, 7.0, 9.5, 8.0};
        for (int block = 0; block < expectedTheta.length; block++) {
            for (int i = 0; i < 100; i++) {
                LabelledEvent e = sea.next();
                @SuppressWarnings("unchecked")
                List<Double> f = (List<Double>) e.getFeatures();
                int expected = f.get(0) + f.get(1) <= expectedTheta[block] ? 1 : 0;
                assertThat(e.getLabel()).isEqualTo(expected);
                assertThat(f).allSatisfy(v -> assertThat(v).isBetween(0.0, 10.0));
            }
        }
    }

    @Test
    void seaKeysStartAtTheirOwnConcept() {
        MultiKeyGenerator g = Generators.create("sea", 5, 0);
        assertThat(g.keys()).containsExactly("model-0", "model-1", "model-2", "model-3", "model-4");
        // Built with the same rule as Generators: key i starts at concept i mod 4.
        for (int i = 0; i < 5; i++) {
            SeaGenerator key = new SeaGenerator("k", 0, new SeaGenerator.Config(2500, 0.1, i % 4));
            assertThat(key.thresholdAt(0)).isEqualTo(new double[] {8.0, 9.0, 7.0, 9.5}[i % 4]);
            assertThat(key.thresholdAt(2500)).isEqualTo(new double[] {9.0, 7.0, 9.5, 8.0}[i % 4]);
        }
    }

    @Test
    void hyperplaneLabelsFollowTheHyperplaneAndItsWeightsDrift() {
        HyperplaneGenerator g = new HyperplaneGenerator("k", 3, new HyperplaneGenerator.Config(4, 1, 0.01, 0.0, 0.0));
        for (int n = 0; n < 200; n++) {
            double[] w = g.weights();
            LabelledEvent e = g.next();
            @SuppressWarnings("unchecked")
            List<Double> x = (List<Double>) e.getFeatures();
            double sum = w[0] * x.get(0) + w[1] * x.get(1) + w[2] * x.get(2) + w[3] * x.get(3);
            double half = 0.5 * (w[0] + w[1] + w[2] + w[3]);
            assertThat(e.getLabel()).isEqualTo(sum >= half ? 1 : 0);
            double[] after = g.weights();
            // Without reversals the drifting weight moves by exactly the magnitude each event, the others stay.
            assertThat(Math.abs(after[0] - w[0])).isCloseTo(0.01, within(1e-12));
            assertThat(after[1]).isEqualTo(w[1]);
        }
    }

    @Test
    void friedmanTargetIsThePapersFormulaAtEachRotation() {
        double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.05};
        // rotation 0: x1..x5 = 0.1, 0.2, 0.3, 0.4, 0.5 -> 10 sin(0.02 pi) + 20 * 0.04 + 4 + 2.5
        double expected0 = 10 * Math.sin(Math.PI * 0.1 * 0.2) + 20 * (0.3 - 0.5) * (0.3 - 0.5) + 10 * 0.4 + 5 * 0.5;
        assertThat(new FriedmanGenerator("k", 0, new FriedmanGenerator.Config(1, 0)).target(x))
                .isCloseTo(expected0, within(1e-12));
        // rotation 8: x1..x5 = 0.9, 0.05, 0.1, 0.2, 0.3
        double expected8 = 10 * Math.sin(Math.PI * 0.9 * 0.05) + 20 * (0.1 - 0.5) * (0.1 - 0.5) + 10 * 0.2 + 5 * 0.3;
        assertThat(new FriedmanGenerator("k", 0, new FriedmanGenerator.Config(1, 8)).target(x))
                .isCloseTo(expected8, within(1e-12));
    }

    @Test
    void friedmanNoiseHasUnitVariance() {
        FriedmanGenerator g = new FriedmanGenerator("k", 9, FriedmanGenerator.Config.defaults());
        double sum = 0;
        double sum2 = 0;
        int n = 20_000;
        double[] x = new double[10];
        for (int i = 0; i < n; i++) {
            LabelledEvent e = g.next();
            for (int j = 0; j < 10; j++) {
                x[j] = (Double) ((List<?>) e.getFeatures()).get(j);
            }
            double eps = (Double) e.getLabel() - g.target(x);
            sum += eps;
            sum2 += eps * eps;
        }
        // Mean 0 and variance 1 within 5 standard errors (1/sqrt(n) = 0.007 for the mean, ~0.01 for the variance).
        assertThat(sum / n).isCloseTo(0.0, within(0.035));
        assertThat(sum2 / n - (sum / n) * (sum / n)).isCloseTo(1.0, within(0.05));
    }

    @Test
    void rbfLabelsAreClassesAndRbfCentresMoveOnlyWithSpeed() {
        RandomRbfGenerator still = new RandomRbfGenerator("k", 4, new RandomRbfGenerator.Config(2, 3, 1, 0.0));
        RandomRbfGenerator moving = new RandomRbfGenerator("k", 4, new RandomRbfGenerator.Config(2, 3, 1, 0.01));
        assertThat(take(still, 50)).allSatisfy(e -> assertThat((Integer) e.getLabel()).isBetween(0, 2));
        // Same seed, same first draw; after the first event the moving centre has shifted.
        List<LabelledEvent> a = take(still, 10);
        List<LabelledEvent> b = take(moving, 60);
        assertThat(b.get(59).getFeatures()).isNotEqualTo(a.get(9).getFeatures());
    }

    @Test
    void unknownNamesAndBadSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Generators.create("agrawal", 1, 0))
                .hasMessageContaining("unknown generator 'agrawal'").hasMessageContaining("hyperplane, sea, rbf, friedman");
        assertThatThrownBy(() -> Generators.create("sea", 0, 0)).hasMessageContaining("keys must be >= 1");
        assertThatThrownBy(() -> new SeaGenerator.Config(0, 0.1, 0)).hasMessageContaining("blockLength");
        assertThatThrownBy(() -> new HyperplaneGenerator.Config(10, 11, 0, 0, 0)).hasMessageContaining("driftingFeatures");
        assertThatThrownBy(() -> new RandomRbfGenerator.Config(10, 1, 5, 0)).hasMessageContaining("classes");
        assertThatThrownBy(() -> new FriedmanGenerator.Config(-1, 0)).hasMessageContaining("noise");
    }
}
