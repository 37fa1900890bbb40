package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.optim.AdadeltaConfig;
import dev.epochstream.learner.optim.AdagradConfig;
import dev.epochstream.learner.optim.AdamConfig;
import dev.epochstream.learner.optim.AdamWConfig;
import dev.epochstream.learner.optim.FtrlConfig;
import dev.epochstream.learner.optim.MomentumConfig;
import dev.epochstream.learner.optim.RmspropConfig;
import dev.epochstream.learner.optim.SgdConfig;
import dev.epochstream.learner.schedule.ConstantSchedule;
import dev.epochstream.learner.schedule.PlateauSchedule;
import dev.epochstream.learner.schedule.StepSchedule;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingConfigTest {
    private static final Map<String, String> VALID = Map.of("model.layers", "4,8,3", "model.activations",
            "relu,softmax", "model.loss", "cce");

    private static TrainingConfig parse(String... overrides) {
        Map<String, String> m = new HashMap<>(VALID);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                m.remove(overrides[i]);
            } else {
                m.put(overrides[i], overrides[i + 1]);
            }
        }
        return TrainingConfig.from(RawConfig.of(m));
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("optimizer", "unknown value 'adamax'", "optimizer", "adamax"),
                bad("optimizer.lr", "must be in (0, inf)", "optimizer.lr", "-0.1"),
                bad("optimizer.lr", "not a number", "optimizer.lr", "fast"),
                bad("model.layers", "not a comma list", "model.layers", "4,x"),
                bad("model.layers", "model.layers[1]", "model.layers", "4,0,3"),
                bad("model.layers", "at least an input and an output", "model.layers", "4"),
                bad("model.layers", "is required", "model.layers", null),
                bad("model.activations", "has 1 entries", "model.activations", "softmax"),
                bad("model.activations", "softmax is allowed on the last layer only", "model.layers", "4,8,8,3",
                        "model.activations", "softmax,relu,softmax"),
                bad("model.activations", "unknown activation 'swish'", "model.activations", "swish,softmax"),
                bad("model.loss", "single output", "model.layers", "4,1", "model.activations", "softmax"),
                bad("model.loss", "logits of a softmax output", "model.layers", "4,1", "model.activations",
                        "identity"),
                bad("model.loss", "sigmoid", "model.loss", "bce"),
                bad("model.loss", "unknown value 'square'", "model.loss", "square"),
                bad("model.leaky-slope", "must be in [0, inf)", "model.activations", "leaky_relu,softmax",
                        "model.leaky-slope", "-1"),
                bad("model.init", "unknown initialisation 'lecun'", "model.init", "lecun"),
                bad("model.seed", "not an integer", "model.seed", "1.5"),
                bad("optimizer.beta1", "in [0, 1)", "optimizer.beta1", "1.0"),
                bad("optimizer.eps", "> 0", "optimizer.eps", "0"),
                bad("optimizer.weight-decay", "must be in [0, inf)", "optimizer.weight-decay", "-1"),
                bad("optimizer.dampening", "0 with nesterov", "optimizer", "nesterov", "optimizer.dampening", "0.5"),
                bad("optimizer.clip-norm", "must be in (0, inf)", "optimizer.clip-norm", "0"),
                bad("optimizer.initial-accumulator", ">= 0", "optimizer", "adagrad", "optimizer.initial-accumulator",
                        "-1"),
                bad("optimizer.ftrl.alpha", "> 0", "optimizer", "ftrl", "optimizer.ftrl.alpha", "0"),
                bad("optimizer.ftrl.beta", "> 0", "optimizer", "ftrl", "optimizer.ftrl.beta", "0"),
                bad("optimizer.ftrl.l1", ">= 0", "optimizer", "ftrl", "optimizer.ftrl.l1", "-1"),
                bad("optimizer.ftrl.l2", ">= 0", "optimizer", "ftrl", "optimizer.ftrl.l2", "-0.5"),
                bad("schedule", "unknown value 'cosine'", "schedule", "cosine"),
                bad("schedule.factor", "in (0, 1)", "schedule", "plateau", "schedule.factor", "1.5"),
                bad("epoch.window", "count:N needs N >= 1", "epoch.window", "count:0"),
                bad("epoch.window", "unknown window kind 'sliding'", "epoch.window", "sliding:5"),
                bad("epoch.window", "not a window", "epoch.window", "100"),
                bad("epoch.passes", "not an integer", "epoch.passes", "abc"),
                bad("epoch.allowed-lateness", "only applies to event-time windows", "epoch.allowed-lateness", "5s"),
                bad("epoch.max-wait", "only applies to count windows", "epoch.window", "event-time:10s",
                        "epoch.max-wait", "30s"),
                bad("epoch.max-wait", "unknown unit 'parsecs'", "epoch.max-wait", "10 parsecs"),
                bad("epoch.max-wait", "positive duration", "epoch.max-wait", "0s"),
                bad("epoch.max-wait", "too large", "epoch.max-wait", "9999999999999999d"),
                bad("train.batch-size", "must be in [1, ", "train.batch-size", "0"),
                bad("train.shuffle", "not a boolean", "train.shuffle", "yes"),
                bad("train.holdout", "must be in [0, 1), got 1.0", "train.holdout", "1.0"),
                bad("train.early-stop", "train.holdout > 0", "train.early-stop", "true"),
                bad("learner.gemm", "unknown value 'mkl': use one of reproducible|blas", "learner.gemm", "mkl"),
                bad("features.hash-bits", "2^3 = 8 hashed columns do not fit in the input dimension 4",
                        "features.hash-bits", "3"),
                bad("features.hash-bits", "must be in [0, 24]", "features.hash-bits", "25"),
                bad("snapshot.publish", "unknown value 'sometimes'", "snapshot.publish", "sometimes"),
                bad("snapshot.tolerance", "must be in [0, inf)", "snapshot.tolerance", "-0.1"),
                bad("snapshot.every", "must be in [1, ", "snapshot.publish", "every", "snapshot.every", "0"));
    }

    private static Arguments bad(String key, String fragment, String... overrides) {
        return Arguments.of(key, fragment, overrides);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badConfigs")
    void everyErrorNamesItsKey(String key, String fragment, String[] overrides) {
        assertThatThrownBy(() -> parse(overrides)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.getMessage()).startsWith(key + ": ").contains(fragment);
        });
    }

    /** A key set where the other settings make it ignored, with the message's start and its fix. */
    static Stream<Arguments> keysTheSettingsIgnore() {
        return Stream.of(
                ignored("train.cooldown", "only applies to train.early-stop=true (train.early-stop=false): remove it",
                        "use train.early-stop=true", "train.cooldown", "3"),
                ignored("train.cooldown", "only applies to train.early-stop=true (train.early-stop=false): remove it",
                        "use train.early-stop=true", "train.early-stop", "FALSE", "train.holdout", "0.2",
                        "train.cooldown", "0"),
                ignored("snapshot.tolerance", "only applies to snapshot.publish=best (snapshot.publish=every): remove it",
                        "use snapshot.publish=best", "snapshot.publish", "every", "snapshot.tolerance", "0.1"),
                ignored("snapshot.tolerance", "only applies to snapshot.publish=best (snapshot.publish=every): remove it",
                        "use snapshot.publish=best", "snapshot.publish", "EVERY", "snapshot.tolerance", "0.05"));
    }

    private static Arguments ignored(String key, String reason, String fix, String... overrides) {
        return Arguments.of(key, reason, fix, overrides);
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("keysTheSettingsIgnore")
    void aKeyTheOtherSettingsIgnoreIsRefused(String key, String reason, String fix, String[] overrides) {
        assertThatThrownBy(() -> parse(overrides)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.getMessage()).startsWith(key + ": " + reason).contains(fix);
        });
    }

    @Test
    void eachOfThoseKeysIsAcceptedWithTheSettingThatReadsIt() {
        TrainingConfig early = parse("train.early-stop", "true", "train.holdout", "0.2", "train.cooldown", "3");
        assertThat(early.earlyStop()).isTrue();
        assertThat(early.cooldown()).isEqualTo(3);
        TrainingConfig every = parse("snapshot.publish", "every", "snapshot.every", "4");
        assertThat(every.publish()).isEqualTo(PublishMode.EVERY);
        assertThat(every.snapshotEvery()).isEqualTo(4);
        assertThat(parse("snapshot.publish", "best", "snapshot.tolerance", "0.1").tolerance()).isEqualTo(0.1);
        // best is the default publish mode, so the tolerance is read without it
        assertThat(parse("snapshot.tolerance", "0.2").tolerance()).isEqualTo(0.2);
        assertThat(parse("model.activations", "leaky_relu,softmax", "model.leaky-slope", "0.2").network().leakySlope())
                .isEqualTo(0.2);
        // any layer will do, the output layer included
        assertThat(parse("model.layers", "4,8,1", "model.activations", "tanh,leaky_relu", "model.loss", "mse",
                "model.leaky-slope", "0.3").network().leakySlope()).isEqualTo(0.3);
    }

    /**
     * Ignored but accepted: the CLI contract's check sets snapshot.every with the default publish=best, and the
     * slope is part of the architecture fingerprint, so refusing a stray one would strand a savepoint taken with it.
     */
    @Test
    void snapshotEveryUnderBestAndAStraySlopeAreAccepted() {
        assertThat(parse("snapshot.every", "1").publish()).isEqualTo(PublishMode.BEST);
        assertThat(parse("model.activations", "relu,softmax", "model.leaky-slope", "0.2").network().leakySlope())
                .isEqualTo(0.2);
    }

    @Test
    void theirDefaultsAreNeverRefused() {
        for (String earlyStop : List.of("true", "false")) {
            for (String publish : List.of("best", "every")) {
                for (String activations : List.of("relu,softmax", "leaky_relu,softmax")) {
                    TrainingConfig c = parse("train.early-stop", earlyStop, "train.holdout", "0.2",
                            "snapshot.publish", publish, "model.activations", activations);
                    assertThat(c.cooldown()).isEqualTo(5);
                    assertThat(c.snapshotEvery()).isEqualTo(1);
                    assertThat(c.tolerance()).isEqualTo(0.05);
                    assertThat(c.network().leakySlope()).isEqualTo(0.01);
                }
            }
        }
        // An empty value means the default, so it is not "set".
        assertThat(parse("train.cooldown", "", "snapshot.every", "", "model.leaky-slope", "").cooldown()).isEqualTo(5);
        assertThat(parse("snapshot.publish", "every", "snapshot.tolerance", " ").tolerance()).isEqualTo(0.05);
    }

    @Test
    void unknownKeyGetsADidYouMeanSuggestion() {
        RawConfig raw = RawConfig.of(Map.of("model.layers", "4,3", "optimizer.lrr", "0.1"));
        assertThatThrownBy(() -> raw.rejectUnknown(TrainingKeys.ALL, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("optimizer.lrr");
                    assertThat(e.getMessage()).contains("unknown configuration key").contains("did you mean 'optimizer.lr'?");
                });
        RawConfig far = RawConfig.of(Map.of("completely.unrelated.setting", "1"));
        assertThatThrownBy(() -> far.rejectUnknown(TrainingKeys.ALL, List.of()))
                .hasMessageContaining("remove it").hasMessageNotContaining("did you mean");
        RawConfig passed = RawConfig.of(Map.of("kafka.bootstrap.servers", "x", "model.loss", "mse"));
        passed.rejectUnknown(TrainingKeys.ALL, List.of("kafka."));
    }

    @Test
    void documentedDefaults() {
        TrainingConfig c = parse();
        assertThat(c.optimizer()).isEqualTo(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false, false));
        assertThat(c.schedule()).isEqualTo(new ConstantSchedule());
        assertThat(c.window()).isEqualTo(WindowSpec.count(100));
        assertThat(c.passes()).isEqualTo(1);
        assertThat(c.maxWait()).isNull();
        assertThat(c.allowedLateness()).isEqualTo(Duration.ZERO);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.shuffle()).isFalse();
        assertThat(c.holdout()).isZero();
        assertThat(c.patience()).isEqualTo(3);
        assertThat(c.earlyStop()).isFalse();
        assertThat(c.cooldown()).isEqualTo(5);
        assertThat(c.gemm()).isEqualTo(Gemm.REPRODUCIBLE);
        assertThat(c.standardize()).isFalse();
        assertThat(c.hashBits()).isZero();
        assertThat(c.rollingEpochs()).isEqualTo(10);
        assertThat(c.snapshotEvery()).isEqualTo(1);
        assertThat(c.publish()).isEqualTo(PublishMode.BEST);
        assertThat(c.tolerance()).isEqualTo(0.05);
        assertThat(c.snapshotOptimizerState()).isFalse();
        assertThat(c.clipNorm()).isNaN();
        assertThat(c.lossDelta()).isEqualTo(1.0);
        assertThat(c.lossMargin()).isEqualTo(1.0);
        assertThat(c.network().leakySlope()).isEqualTo(0.01);
        assertThat(c.network().init()).isEqualTo(Initialization.XAVIER);
        assertThat(c.network().seed()).isZero();
        assertThat(c.network().activations()).containsExactly(Activation.RELU, Activation.SOFTMAX);
        assertThat(c.denseInputs()).isEqualTo(4);
        assertThat(c.hashedInputs()).isZero();
    }

    @Test
    void torchDefaultsPerOptimizer() {
        assertThat(parse("optimizer", "sgd").optimizer()).isEqualTo(new SgdConfig(0.01, 0));
        assertThat(parse("optimizer", "momentum").optimizer()).isEqualTo(new MomentumConfig(0.01, 0.9, 0, 0, false, false));
        assertThat(parse("optimizer", "nesterov").optimizer()).isEqualTo(new MomentumConfig(0.01, 0.9, 0, 0, true, false));
        assertThat(parse("optimizer", "adamw").optimizer()).isEqualTo(new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false, false));
        assertThat(parse("optimizer", "rmsprop").optimizer()).isEqualTo(new RmspropConfig(0.01, 0.99, 1e-8, 0, 0, false, false));
        assertThat(parse("optimizer", "adagrad").optimizer()).isEqualTo(new AdagradConfig(0.01, 0, 0, 0, 1e-10));
        assertThat(parse("optimizer", "adadelta").optimizer()).isEqualTo(new AdadeltaConfig(1.0, 0.9, 1e-6, 0, false));
        assertThat(parse("optimizer", "ftrl").optimizer()).isEqualTo(new FtrlConfig(0.1, 1.0, 0, 0));
        assertThat(parse("optimizer", "ftrl", "optimizer.lr", "0.5").optimizer()).isEqualTo(new FtrlConfig(0.5, 1.0, 0, 0));
        assertThat(parse("optimizer", "ADAM", "optimizer.lr", "0.3", "optimizer.amsgrad", "true").optimizer())
                .isEqualTo(new AdamConfig(0.3, 0.9, 0.999, 1e-8, 0, true, false));
    }

    @Test
    void schedulesAndWindows() {
        assertThat(parse("schedule", "step").schedule()).isEqualTo(new StepSchedule(0.1, 10));
        assertThat(parse("schedule", "plateau").schedule()).isEqualTo(new PlateauSchedule(0.1, 10, 0));
        TrainingConfig et = parse("epoch.window", "event-time:10s", "epoch.allowed-lateness", "2m");
        assertThat(et.window()).isEqualTo(new WindowSpec(WindowSpec.Kind.EVENT_TIME, 0, Duration.ofSeconds(10)));
        assertThat(et.allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse("epoch.max-wait", "30s").maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("epoch.max-wait", "off").maxWait()).isNull();
    }

    @Test
    void gemmValues() {
        assertThat(parse("learner.gemm", "blas").gemm()).isEqualTo(Gemm.BLAS);
        assertThat(parse("learner.gemm", "BLAS").gemm()).isEqualTo(Gemm.BLAS);
        assertThat(parse("learner.gemm", "reproducible").gemm()).isEqualTo(Gemm.REPRODUCIBLE);
    }

    @Test
    void hashedColumnsFollowTheDenseOnes() {
        TrainingConfig c = parse("model.layers", "10,3", "model.activations", "softmax", "features.hash-bits", "3");
        assertThat(c.hashedInputs()).isEqualTo(8);
        assertThat(c.denseInputs()).isEqualTo(2);
    }

    @Test
    void fingerprintCoversArchitectureOnly() {
        long f = parse().architectureFingerprint();
        assertThat(parse("optimizer.lr", "0.5", "train.batch-size", "7").architectureFingerprint()).isEqualTo(f);
        assertThat(parse("learner.gemm", "blas").architectureFingerprint()).isEqualTo(f);
        assertThat(parse("model.layers", "4,9,3").architectureFingerprint()).isNotEqualTo(f);
        assertThat(parse("model.activations", "tanh,softmax").architectureFingerprint()).isNotEqualTo(f);
        long leaky = parse("model.activations", "leaky_relu,softmax").architectureFingerprint();
        assertThat(parse("model.activations", "leaky_relu,softmax", "model.leaky-slope", "0.2").architectureFingerprint())
                .isNotEqualTo(leaky);
        assertThat(parse("features.standardize", "true").architectureFingerprint()).isNotEqualTo(f);
        assertThat(parse("model.loss", "kl").architectureFingerprint()).isNotEqualTo(f);
        assertThat(parse().architectureDescription())
                .isEqualTo("layers=4,8,3 activations=relu,softmax loss=cce standardize=false hash-bits=0");
    }
}
