package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.optim.FtrlConfig;
import dev.epochstream.learner.optim.MomentumConfig;
import dev.epochstream.learner.optim.SgdConfig;
import dev.epochstream.learner.schedule.ExponentialSchedule;
import dev.epochstream.learner.schedule.StepSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key set for an optimizer or schedule that does not read it is refused, naming the key; every key the
 * chosen component reads is still accepted, and defaults are never refused. The tables below are written
 * from the optimizer and schedule records, independently of the one in {@link TrainingConfig}.
 */
class KeyApplicabilityTest {
    private static final Map<String, String> VALID = Map.of("model.layers", "4,8,3", "model.activations",
            "relu,softmax", "model.loss", "cce");

    private static final List<String> OPTIMIZERS =
            List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "ftrl");
    private static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "inverse-time", "plateau");

    /** Key → a value every reader accepts, and the optimizers that read it. */
    private static final Map<String, String> OPTIMIZER_SAMPLES = new HashMap<>();
    private static final Map<String, List<String>> OPTIMIZER_READERS = new HashMap<>();
    private static final Map<String, String> SCHEDULE_SAMPLES = new HashMap<>();
    private static final Map<String, List<String>> SCHEDULE_READERS = new HashMap<>();

    static {
        optimizerKey("optimizer.lr", "0.05", OPTIMIZERS);
        optimizerKey("optimizer.clip-norm", "1.0", OPTIMIZERS);
        optimizerKey("optimizer.momentum", "0.5", List.of("momentum", "nesterov", "rmsprop"));
        optimizerKey("optimizer.dampening", "0", List.of("momentum", "nesterov"));
        optimizerKey("optimizer.beta1", "0.8", List.of("adam", "adamw"));
        optimizerKey("optimizer.beta2", "0.99", List.of("adam", "adamw"));
        optimizerKey("optimizer.eps", "1e-7", List.of("adam", "adamw", "rmsprop", "adagrad", "adadelta"));
        optimizerKey("optimizer.alpha", "0.9", List.of("rmsprop"));
        optimizerKey("optimizer.rho", "0.8", List.of("adadelta"));
        optimizerKey("optimizer.lr-decay", "0.001", List.of("adagrad"));
        optimizerKey("optimizer.initial-accumulator", "0.1", List.of("adagrad"));
        optimizerKey("optimizer.weight-decay", "0.001",
                List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta"));
        optimizerKey("optimizer.amsgrad", "true", List.of("adam", "adamw"));
        optimizerKey("optimizer.centered", "true", List.of("rmsprop"));
        optimizerKey("optimizer.lazy", "true", List.of("momentum", "nesterov", "adam", "adamw", "rmsprop", "adadelta"));
        optimizerKey("optimizer.ftrl.alpha", "0.2", List.of("ftrl"));
        optimizerKey("optimizer.ftrl.beta", "0.5", List.of("ftrl"));
        optimizerKey("optimizer.ftrl.l1", "0.01", List.of("ftrl"));
        optimizerKey("optimizer.ftrl.l2", "0.01", List.of("ftrl"));

        scheduleKey("schedule.gamma", "0.5", List.of("step", "exponential"));
        scheduleKey("schedule.step-size", "3", List.of("step"));
        scheduleKey("schedule.decay", "0.1", List.of("inverse-time"));
        scheduleKey("schedule.factor", "0.5", List.of("plateau"));
        scheduleKey("schedule.patience", "2", List.of("plateau"));
        scheduleKey("schedule.min-lr", "0.0001", List.of("plateau"));
    }

    private static void optimizerKey(String key, String sample, List<String> readers) {
        OPTIMIZER_SAMPLES.put(key, sample);
        OPTIMIZER_READERS.put(key, readers);
    }

    private static void scheduleKey(String key, String sample, List<String> readers) {
        SCHEDULE_SAMPLES.put(key, sample);
        SCHEDULE_READERS.put(key, readers);
    }

    private static TrainingConfig parse(String... overrides) {
        Map<String, String> m = new HashMap<>(VALID);
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        return TrainingConfig.from(RawConfig.of(m));
    }

    @Test
    void theTablesCoverEveryOptimizerAndScheduleKey() {
        List<String> keys = new ArrayList<>();
        for (ConfigKey k : TrainingKeys.ALL) {
            if (k.name().startsWith("optimizer.") || k.name().startsWith("schedule.")) {
                keys.add(k.name());
            }
        }
        List<String> covered = new ArrayList<>(OPTIMIZER_READERS.keySet());
        covered.addAll(SCHEDULE_READERS.keySet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(keys);
    }

    static Stream<Arguments> optimizerKeys() {
        return OPTIMIZERS.stream().flatMap(o -> OPTIMIZER_READERS.keySet().stream().sorted().map(k -> Arguments.of(o, k)));
    }

    @ParameterizedTest(name = "optimizer={0} with {1}")
    @MethodSource("optimizerKeys")
    void anOptimizerKeyIsAcceptedExactlyWhereItIsRead(String optimizer, String key) {
        Map<String, String> m = new HashMap<>(VALID);
        m.put("optimizer", optimizer);
        m.put(key, OPTIMIZER_SAMPLES.get(key));
        acceptedExactlyWhereRead(m, "optimizer", key, OPTIMIZER_READERS.get(key));
    }

    static Stream<Arguments> scheduleKeys() {
        return SCHEDULES.stream().flatMap(s -> SCHEDULE_READERS.keySet().stream().sorted().map(k -> Arguments.of(s, k)));
    }

    @ParameterizedTest(name = "schedule={0} with {1}")
    @MethodSource("scheduleKeys")
    void aScheduleKeyIsAcceptedExactlyWhereItIsRead(String schedule, String key) {
        Map<String, String> m = new HashMap<>(VALID);
        m.put("schedule", schedule);
        if (schedule.equals("exponential")) {
            m.put("schedule.gamma", "0.95");
        }
        m.put(key, SCHEDULE_SAMPLES.get(key));
        acceptedExactlyWhereRead(m, "schedule", key, SCHEDULE_READERS.get(key));
    }

    /** {@code config} sets {@code key} and chooses a component by {@code choiceKey}. */
    private static void acceptedExactlyWhereRead(Map<String, String> config, String choiceKey, String key,
                                                 List<String> readers) {
        String chosen = config.get(choiceKey);
        RawConfig raw = RawConfig.of(config);
        if (readers.contains(chosen)) {
            assertThatCode(() -> TrainingConfig.from(raw)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> TrainingConfig.from(raw)).isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.key()).isEqualTo(key);
                assertThat(e.getMessage()).startsWith(key + ": only applies to " + choiceKey + "="
                        + String.join("|", readers) + " (" + choiceKey + "=" + chosen + "): remove it");
            });
        }
    }

    @Test
    void everyKeyAnOptimizerReadsTogetherIsAccepted() {
        for (String optimizer : OPTIMIZERS) {
            List<String> overrides = new ArrayList<>(List.of("optimizer", optimizer));
            OPTIMIZER_READERS.forEach((key, readers) -> {
                // ftrl reads optimizer.lr as its alpha: one of the two, tested below.
                if (readers.contains(optimizer) && !(optimizer.equals("ftrl") && key.equals("optimizer.lr"))) {
                    overrides.addAll(List.of(key, OPTIMIZER_SAMPLES.get(key)));
                }
            });
            assertThatCode(() -> parse(overrides.toArray(String[]::new))).as(optimizer).doesNotThrowAnyException();
        }
    }

    @Test
    void defaultsAloneAreNeverRefused() {
        for (String optimizer : OPTIMIZERS) {
            for (String schedule : SCHEDULES) {
                String[] overrides = schedule.equals("exponential")
                        ? new String[] {"optimizer", optimizer, "schedule", schedule, "schedule.gamma", "0.95"}
                        : new String[] {"optimizer", optimizer, "schedule", schedule};
                assertThatCode(() -> parse(overrides)).as(optimizer + " " + schedule).doesNotThrowAnyException();
            }
        }
        // An empty value means the default, so it is not "set".
        assertThat(parse("optimizer", "sgd", "optimizer.momentum", "", "optimizer.lazy", "").optimizer())
                .isEqualTo(SgdConfig.defaults());
        assertThat(parse("schedule", "plateau", "schedule.gamma", "", "schedule.step-size", "").schedule().name())
                .isEqualTo("plateau");
    }

    /** torch's HuberLoss(delta) and TripletMarginLoss(margin): no other loss here has either parameter. */
    @Test
    void lossParametersAreAcceptedOnlyForTheLossThatReadsThem() {
        Map<String, String> huber = Map.of("model.layers", "4,1", "model.activations", "identity", "model.loss", "huber");
        Map<String, String> mse = Map.of("model.layers", "4,1", "model.activations", "identity", "model.loss", "mse");
        Map<String, String> triplet = Map.of("model.layers", "4,2", "model.activations", "identity",
                "model.loss", "triplet");
        acceptedExactlyWhereRead(with(huber, "model.loss.delta", "2"), "model.loss", "model.loss.delta", List.of("huber"));
        acceptedExactlyWhereRead(with(mse, "model.loss.delta", "2"), "model.loss", "model.loss.delta", List.of("huber"));
        acceptedExactlyWhereRead(with(triplet, "model.loss.margin", "0.5"), "model.loss", "model.loss.margin",
                List.of("triplet"));
        acceptedExactlyWhereRead(with(huber, "model.loss.margin", "0.5"), "model.loss", "model.loss.margin",
                List.of("triplet"));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void sgdWithMomentumPointsToTheMomentumOptimizer() {
        assertThatThrownBy(() -> parse("optimizer", "sgd", "optimizer.momentum", "0.9"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("optimizer.momentum");
                    assertThat(e.getMessage()).contains("only applies to optimizer=momentum|nesterov|rmsprop (optimizer=sgd)")
                            .contains("use optimizer=momentum");
                });
        assertThatThrownBy(() -> parse("optimizer", "sgd", "optimizer.dampening", "0.1"))
                .hasMessageContaining("use optimizer=momentum");
        assertThat(parse("optimizer", "momentum", "optimizer.momentum", "0.8").optimizer())
                .isEqualTo(new MomentumConfig(0.01, 0.8, 0, 0, false, false));
    }

    @Test
    void likelyConfusionsNameTheKeyToUseInstead() {
        assertThatThrownBy(() -> parse("optimizer", "ftrl", "optimizer.weight-decay", "0.01"))
                .hasMessageContaining("optimizer.ftrl.l2");
        assertThatThrownBy(() -> parse("optimizer", "ftrl", "optimizer.alpha", "0.2"))
                .hasMessageContaining("optimizer.ftrl.alpha");
        assertThatThrownBy(() -> parse("schedule", "plateau", "schedule.gamma", "0.5"))
                .hasMessageContaining("schedule.factor");
        assertThatThrownBy(() -> parse("schedule", "step", "schedule.factor", "0.5"))
                .hasMessageContaining("schedule.gamma");
        assertThatThrownBy(() -> parse("optimizer", "adam", "optimizer.rho", "0.9"))
                .hasMessageEndingWith("remove it, or use optimizer=adadelta");
        assertThatThrownBy(() -> parse("optimizer", "adagrad", "optimizer.lazy", "true"))
                .hasMessageContaining("already updates only the columns a batch touches");
    }

    @Test
    void ftrlTakesItsAlphaFromOneKeyOnly() {
        assertThatThrownBy(() -> parse("optimizer", "ftrl", "optimizer.lr", "0.5", "optimizer.ftrl.alpha", "0.2"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("optimizer.lr");
                    assertThat(e.getMessage()).contains("optimizer.ftrl.alpha").contains("0.5 and 0.2")
                            .contains("remove one of them");
                });
        assertThat(parse("optimizer", "ftrl", "optimizer.lr", "0.5").optimizer()).isEqualTo(new FtrlConfig(0.5, 1.0, 0, 0));
        assertThat(parse("optimizer", "ftrl", "optimizer.ftrl.alpha", "0.2").optimizer())
                .isEqualTo(new FtrlConfig(0.2, 1.0, 0, 0));
    }

    @Test
    void exponentialNeedsAnExplicitGammaAndStepKeepsTorchsDefault() {
        assertThatThrownBy(() -> parse("schedule", "exponential")).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("schedule.gamma");
            assertThat(e.getMessage()).contains("required with schedule=exponential").contains("schedule.gamma=0.95");
        });
        assertThat(parse("schedule", "exponential", "schedule.gamma", "0.95").schedule())
                .isEqualTo(new ExponentialSchedule(0.95));
        assertThat(parse("schedule", "exponential", "schedule.gamma", "0.1").schedule())
                .isEqualTo(new ExponentialSchedule(0.1));
        assertThat(parse("schedule", "step").schedule()).isEqualTo(new StepSchedule(0.1, 10));
    }
}
