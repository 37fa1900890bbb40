package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Arguments refused(String key, ThrowingCallable create) {
        return Arguments.of(key, create);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                refused("optimizer.lr", () -> new SgdConfig(-1, 0)),
                refused("optimizer.lr", () -> new SgdConfig(0, 0)),
                refused("optimizer.lr", () -> new SgdConfig(NAN, 0)),
                refused("optimizer.lr", () -> new SgdConfig(INF, 0)),
                refused("optimizer.weight-decay", () -> new SgdConfig(0.1, -0.1)),
                refused("optimizer.lr", () -> new MomentumConfig(-1, 0.9, 0, 0, false, false)),
                refused("optimizer.momentum", () -> new MomentumConfig(0.1, 0, 0, 0, false, false)),
                refused("optimizer.dampening", () -> new MomentumConfig(0.1, 0.9, -0.1, 0, false, false)),
                refused("optimizer.dampening", () -> new MomentumConfig(0.1, 0.9, 1.5, 0, false, false)),
                refused("optimizer.dampening", () -> new MomentumConfig(0.1, 0.9, 0.1, 0, true, false)),
                refused("optimizer.weight-decay", () -> new MomentumConfig(0.1, 0.9, 0, -1, false, false)),
                refused("optimizer.lr", () -> new AdamConfig(0, 0.9, 0.999, 1e-8, 0, false, false)),
                refused("optimizer.beta1", () -> new AdamConfig(1e-3, 1.0, 0.999, 1e-8, 0, false, false)),
                refused("optimizer.beta1", () -> new AdamConfig(1e-3, -0.1, 0.999, 1e-8, 0, false, false)),
                refused("optimizer.beta2", () -> new AdamConfig(1e-3, 0.9, 1.0, 1e-8, 0, false, false)),
                refused("optimizer.beta2", () -> new AdamConfig(1e-3, 0.9, NAN, 1e-8, 0, false, false)),
                refused("optimizer.eps", () -> new AdamConfig(1e-3, 0.9, 0.999, 0, 0, false, false)),
                refused("optimizer.weight-decay", () -> new AdamConfig(1e-3, 0.9, 0.999, 1e-8, -1, false, false)),
                refused("optimizer.lr", () -> new AdamWConfig(-1e-3, 0.9, 0.999, 1e-8, 0.01, false, false)),
                refused("optimizer.beta1", () -> new AdamWConfig(1e-3, 1.5, 0.999, 1e-8, 0.01, false, false)),
                refused("optimizer.beta2", () -> new AdamWConfig(1e-3, 0.9, -0.5, 1e-8, 0.01, false, false)),
                refused("optimizer.eps", () -> new AdamWConfig(1e-3, 0.9, 0.999, -1e-8, 0.01, false, false)),
                refused("optimizer.weight-decay", () -> new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, -0.01, false, false)),
                refused("optimizer.lr", () -> new RmspropConfig(0, 0.99, 1e-8, 0, 0, false, false)),
                refused("optimizer.alpha", () -> new RmspropConfig(0.01, 1.01, 1e-8, 0, 0, false, false)),
                refused("optimizer.alpha", () -> new RmspropConfig(0.01, -0.01, 1e-8, 0, 0, false, false)),
                refused("optimizer.eps", () -> new RmspropConfig(0.01, 0.99, 0, 0, 0, false, false)),
                refused("optimizer.weight-decay", () -> new RmspropConfig(0.01, 0.99, 1e-8, -1, 0, false, false)),
                refused("optimizer.momentum", () -> new RmspropConfig(0.01, 0.99, 1e-8, 0, -0.5, false, false)),
                refused("optimizer.lr", () -> new AdagradConfig(-0.01, 0, 0, 0, 1e-10)),
                refused("optimizer.lr-decay", () -> new AdagradConfig(0.01, -1, 0, 0, 1e-10)),
                refused("optimizer.weight-decay", () -> new AdagradConfig(0.01, 0, -1, 0, 1e-10)),
                refused("optimizer.initial-accumulator", () -> new AdagradConfig(0.01, 0, 0, -0.1, 1e-10)),
                refused("optimizer.eps", () -> new AdagradConfig(0.01, 0, 0, 0, 0)),
                refused("optimizer.lr", () -> new AdadeltaConfig(0, 0.9, 1e-6, 0, false)),
                refused("optimizer.rho", () -> new AdadeltaConfig(1, 1.1, 1e-6, 0, false)),
                refused("optimizer.rho", () -> new AdadeltaConfig(1, -0.1, 1e-6, 0, false)),
                refused("optimizer.eps", () -> new AdadeltaConfig(1, 0.9, 0, 0, false)),
                refused("optimizer.weight-decay", () -> new AdadeltaConfig(1, 0.9, 1e-6, -1, false)),
                refused("optimizer.ftrl.alpha", () -> new FtrlConfig(0, 1, 0, 0)),
                refused("optimizer.ftrl.beta", () -> new FtrlConfig(0.1, 0, 0, 0)),
                refused("optimizer.ftrl.l1", () -> new FtrlConfig(0.1, 1, -1, 0)),
                refused("optimizer.ftrl.l2", () -> new FtrlConfig(0.1, 1, 0, -1)),
                refused("optimizer", () -> Optimizers.defaults("lbfgs")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidValuesNamingTheKey(String key, ThrowingCallable create) {
        assertThatThrownBy(create).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + " must be");
    }

    @Test
    void messageSaysRuleValueAndRemedy() {
        assertThatThrownBy(() -> new SgdConfig(-1.0, 0)).hasMessage(
                "optimizer.lr must be > 0 (got -1.0): set a positive learning rate");
        assertThatThrownBy(() -> new SgdConfig(INF, 0)).hasMessage(
                "optimizer.lr must be finite and > 0 (got Infinity): set a positive learning rate");
    }

    @Test
    void everyNameHasDefaultsThatCreateItsOptimizer() {
        assertThat(Optimizers.names())
                .containsExactly("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "ftrl");
        for (String name : Optimizers.names()) {
            OptimizerConfig config = Optimizers.defaults(name);
            assertThat(config.name()).isEqualTo(name);
            assertThat(config.create().config()).isSameAs(config);
        }
    }

    @Test
    void defaultsAreDocumentedValues() {
        assertThat(SgdConfig.defaults()).isEqualTo(new SgdConfig(0.01, 0));
        assertThat(MomentumConfig.defaults()).isEqualTo(new MomentumConfig(0.01, 0.9, 0, 0, false, false));
        assertThat(MomentumConfig.nesterovDefaults()).isEqualTo(new MomentumConfig(0.01, 0.9, 0, 0, true, false));
        assertThat(RmspropConfig.defaults()).isEqualTo(new RmspropConfig(1e-2, 0.99, 1e-8, 0, 0, false, false));
        assertThat(AdagradConfig.defaults()).isEqualTo(new AdagradConfig(1e-2, 0, 0, 0, 1e-10));
        assertThat(AdadeltaConfig.defaults()).isEqualTo(new AdadeltaConfig(1.0, 0.9, 1e-6, 0, false));
        assertThat(FtrlConfig.defaults()).isEqualTo(new FtrlConfig(0.1, 1.0, 0, 0));
    }
}
