package dev.epochstream.learner.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleTest {
    private static final double BASE = 0.1;

    /** The rate after each of {@code losses.length} epochs. */
    private static double[] run(LearningRateSchedule schedule, double... losses) {
        ScheduleState state = schedule.newState(BASE);
        assertThat(state.lr()).isEqualTo(BASE);
        double[] out = new double[losses.length];
        for (int e = 0; e < losses.length; e++) {
            schedule.advance(state, losses[e]);
            out[e] = state.lr();
            assertThat(state.epochs()).isEqualTo(e + 1);
        }
        return out;
    }

    private static double[] run6(LearningRateSchedule schedule) {
        return run(schedule, 1, 1, 1, 1, 1, 1);
    }

    private static void assertRates(double[] actual, double... expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("lr after epoch %d", e + 1).isCloseTo(expected[e], within(1e-12));
        }
    }

    @Test
    void constant() {
        assertRates(run6(new ConstantSchedule()), 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    }

    @Test
    void stepDecaysEveryStepSizeEpochs() {
        // torch closed form: base · gamma^(epoch // step_size)
        assertRates(run6(new StepSchedule(0.5, 2)), 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125);
        assertRates(run6(new StepSchedule(3)), 0.1, 0.1, 0.01, 0.01, 0.01, 0.001);
    }

    @Test
    void exponential() {
        assertRates(run6(new ExponentialSchedule(0.9)), 0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441);
    }

    @Test
    void inverseTime() {
        // base / (1 + 0.5·epoch)
        assertRates(run6(new InverseTimeSchedule(0.5)), 0.1 / 1.5, 0.1 / 2, 0.1 / 2.5, 0.1 / 3, 0.1 / 3.5, 0.1 / 4);
    }

    @Test
    void plateauReducesAfterPatienceAndStopsAtMinLr() {
        PlateauSchedule plateau = new PlateauSchedule(0.5, 1, 0.02);
        // best 1.0, 0.9; then 0.9 ×2 (bad 1, 2 > patience: halve); 0.95, 0.89995 (not 1e-4 better than
        // 0.9: bad 1, 2: halve); 0.9 ×2 (halve to 0.0125, floored at 0.02); 0.9 ×2 (0.02 − 0.02 = 0: kept)
        double[] rates = run(plateau, 1.0, 0.9, 0.9, 0.9, 0.95, 0.89995, 0.9, 0.9, 0.9, 0.9);
        assertRates(rates, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02);
    }

    @Test
    void plateauImprovementResetsTheCount() {
        // 1.0 best; 1.0 bad 1; 0.5 improves (bad 0); 0.5 bad 1; 0.4 improves; 0.4 bad 1: never > patience 1
        assertRates(run(new PlateauSchedule(0.1, 1, 0), 1.0, 1.0, 0.5, 0.5, 0.4, 0.4), 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    }

    @Test
    void plateauCountsNonFiniteLossAsNoImprovement() {
        PlateauSchedule plateau = new PlateauSchedule(0.1, 1, 0);
        assertRates(run(plateau, 1.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.5, Double.NaN, Double.POSITIVE_INFINITY),
                0.1, 0.1, 0.01, 0.01, 0.01, 0.001);
        assertThat(PlateauSchedule.defaults()).isEqualTo(new PlateauSchedule(0.1, 10, 0));
    }

    @Test
    void namesAreTheConfigNames() {
        assertThat(Schedules.names()).containsExactly("constant", "step", "exponential", "inverse-time", "plateau");
        assertThat(Stream.of(new ConstantSchedule(), new StepSchedule(1), new ExponentialSchedule(0.5),
                new InverseTimeSchedule(1), PlateauSchedule.defaults()).map(LearningRateSchedule::name))
                .containsExactlyElementsOf(Schedules.names());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("schedule.gamma", (ThrowingCallable) () -> new StepSchedule(0, 2)),
                Arguments.of("schedule.gamma", (ThrowingCallable) () -> new StepSchedule(Double.NaN, 2)),
                Arguments.of("schedule.step-size", (ThrowingCallable) () -> new StepSchedule(0.1, 0)),
                Arguments.of("schedule.gamma", (ThrowingCallable) () -> new ExponentialSchedule(-0.9)),
                Arguments.of("schedule.decay", (ThrowingCallable) () -> new InverseTimeSchedule(-1)),
                Arguments.of("schedule.factor", (ThrowingCallable) () -> new PlateauSchedule(1.0, 10, 0)),
                Arguments.of("schedule.factor", (ThrowingCallable) () -> new PlateauSchedule(0, 10, 0)),
                Arguments.of("schedule.patience", (ThrowingCallable) () -> new PlateauSchedule(0.1, -1, 0)),
                Arguments.of("schedule.min-lr", (ThrowingCallable) () -> new PlateauSchedule(0.1, 10, -1e-3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidValuesNamingTheKey(String key, ThrowingCallable create) {
        assertThatThrownBy(create).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(key + " must be");
    }
}
