package dev.epochstream.learner.config;

import static dev.epochstream.learner.config.TrainingKeys.*;
import static java.util.Map.entry;

import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.optim.AdadeltaConfig;
import dev.epochstream.learner.optim.AdagradConfig;
import dev.epochstream.learner.optim.AdamConfig;
import dev.epochstream.learner.optim.AdamWConfig;
import dev.epochstream.learner.optim.FtrlConfig;
import dev.epochstream.learner.optim.MomentumConfig;
import dev.epochstream.learner.optim.OptimizerConfig;
import dev.epochstream.learner.optim.RmspropConfig;
import dev.epochstream.learner.optim.SgdConfig;
import dev.epochstream.learner.schedule.ConstantSchedule;
import dev.epochstream.learner.schedule.ExponentialSchedule;
import dev.epochstream.learner.schedule.InverseTimeSchedule;
import dev.epochstream.learner.schedule.LearningRateSchedule;
import dev.epochstream.learner.schedule.PlateauSchedule;
import dev.epochstream.learner.schedule.StepSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Everything the epoch trainer needs, parsed and cross-checked from the documented keys. Immutable.
 * Construction through {@link #from(RawConfig)} reports every unusable value or combination as a
 * {@link ConfigException} naming the key and the fix, so a job never starts with a config that cannot
 * work.
 */
public record TrainingConfig(
        NetworkSpec network,
        String lossName,
        double lossDelta,
        double lossMargin,
        OptimizerConfig optimizer,
        double clipNorm,
        LearningRateSchedule schedule,
        WindowSpec window,
        int passes,
        Duration maxWait,
        Duration allowedLateness,
        int batchSize,
        boolean shuffle,
        double holdout,
        int patience,
        boolean earlyStop,
        int cooldown,
        Gemm gemm,
        boolean standardize,
        int hashBits,
        int rollingEpochs,
        int snapshotEvery,
        PublishMode publish,
        double tolerance,
        boolean snapshotOptimizerState) {

    public static final Set<String> LOSSES = Set.of("mse", "mae", "huber", "bce", "cce", "hinge", "kl", "triplet");
    public static final List<String> OPTIMIZERS =
            List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "ftrl");
    public static final List<String> GEMMS = List.of("reproducible", "blas");
    public static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "inverse-time", "plateau");

    /** Largest supported hashed feature space: 2^24 columns. */
    public static final int MAX_HASH_BITS = 24;

    /** Dense inputs before the hashed attribute features (model.layers[0] minus 2^hash-bits). */
    public int denseInputs() {
        return network.inputSize() - hashedInputs();
    }

    /** Columns of the hashed attribute features (0 when hashing is off). */
    public int hashedInputs() {
        return hashBits == 0 ? 0 : 1 << hashBits;
    }

    /** The loss function this configuration trains with. */
    public Loss createLoss() {
        return Losses.create(lossName, lossDelta, lossMargin, network.outputActivation(), network.leakySlope());
    }

    /** Parses and validates the training keys of {@code raw}; other keys are ignored here. */
    public static TrainingConfig from(RawConfig raw) {
        NetworkSpec network = parseNetwork(raw);
        String loss = raw.choice(MODEL_LOSS, sorted(LOSSES));
        refuseKeysNotRead(raw, MODEL_LOSS, loss, LOSSES_READING);
        double delta = raw.doubleValue(MODEL_LOSS_DELTA, 0, true, Double.POSITIVE_INFINITY, true);
        double margin = raw.doubleValue(MODEL_LOSS_MARGIN, 0, false, Double.POSITIVE_INFINITY, true);
        try {
            Losses.create(loss, delta, margin, network.outputActivation(), network.leakySlope())
                    .validate(network.outputActivation(), network.outputSize());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODEL_LOSS.name(), e.getMessage());
        }

        OptimizerConfig optimizer = parseOptimizer(raw);
        double clip = raw.has(OPTIMIZER_CLIP_NORM)
                ? raw.doubleValue(OPTIMIZER_CLIP_NORM, 0, true, Double.POSITIVE_INFINITY, true) : Double.NaN;
        LearningRateSchedule schedule = parseSchedule(raw);

        WindowSpec window = WindowSpec.parse(raw.string(EPOCH_WINDOW));
        int passes = raw.intValue(EPOCH_PASSES, 1, 10_000);
        Duration maxWait = raw.duration(EPOCH_MAX_WAIT);
        if (maxWait != null && window.kind() != WindowSpec.Kind.COUNT) {
            throw new ConfigException(EPOCH_MAX_WAIT.name(), "only applies to count windows (epoch.window="
                    + window + "): remove it, or use epoch.window=count:N");
        }
        if (maxWait != null && (maxWait.isZero() || maxWait.isNegative())) {
            throw new ConfigException(EPOCH_MAX_WAIT.name(), "must be a positive duration or off");
        }
        Duration lateness = raw.duration(EPOCH_ALLOWED_LATENESS);
        if (lateness == null) {
            lateness = Duration.ZERO;
        }
        if (!lateness.isZero() && window.kind() != WindowSpec.Kind.EVENT_TIME) {
            throw new ConfigException(EPOCH_ALLOWED_LATENESS.name(), "only applies to event-time windows (epoch.window="
                    + window + "): remove it, or use epoch.window=event-time:DURATION");
        }

        int batch = raw.intValue(TRAIN_BATCH_SIZE, 1, 1 << 20);
        boolean shuffle = raw.booleanValue(TRAIN_SHUFFLE);
        double holdout = raw.doubleValue(TRAIN_HOLDOUT, 0, false, 1, true);
        int patience = raw.intValue(TRAIN_PATIENCE, 1, 1_000_000);
        boolean earlyStop = raw.booleanValue(TRAIN_EARLY_STOP);
        refuseKeysNotRead(raw, TRAIN_EARLY_STOP, Boolean.toString(earlyStop), EARLY_STOP_READING);
        int cooldown = raw.intValue(TRAIN_COOLDOWN, 0, 1_000_000);
        if (earlyStop && holdout == 0) {
            throw new ConfigException(TRAIN_EARLY_STOP.name(), "needs a validation set to detect overfitting: set train.holdout > 0 (e.g. 0.2) or train.early-stop=false");
        }
        Gemm gemm = Gemm.fromConfigName(raw.choice(LEARNER_GEMM, GEMMS));

        boolean standardize = raw.booleanValue(FEATURES_STANDARDIZE);
        int hashBits = raw.intValue(FEATURES_HASH_BITS, 0, MAX_HASH_BITS);
        if (hashBits > 0 && network.inputSize() < (1 << hashBits)) {
            throw new ConfigException(FEATURES_HASH_BITS.name(), "2^" + hashBits + " = " + (1 << hashBits)
                    + " hashed columns do not fit in the input dimension " + network.inputSize()
                    + ": model.layers[0] must be (dense features) + 2^hash-bits");
        }
        int rolling = raw.intValue(METRICS_ROLLING_EPOCHS, 1, 100_000);
        String publishName = raw.choice(SNAPSHOT_PUBLISH, List.of("best", "every"));
        refuseKeysNotRead(raw, SNAPSHOT_PUBLISH, publishName, PUBLISH_MODES_READING);
        PublishMode publish = PublishMode.valueOf(publishName.toUpperCase(Locale.ROOT));
        int every = raw.intValue(SNAPSHOT_EVERY, 1, Integer.MAX_VALUE);
        double tolerance = raw.doubleValue(SNAPSHOT_TOLERANCE, 0, false, Double.POSITIVE_INFINITY, true);
        boolean optState = raw.booleanValue(SNAPSHOT_OPTIMIZER_STATE);

        return new TrainingConfig(network, loss, delta, margin, optimizer, clip, schedule, window, passes, maxWait,
                lateness, batch, shuffle, holdout, patience, earlyStop, cooldown, gemm, standardize, hashBits, rolling,
                every, publish, tolerance, optState);
    }

    private static NetworkSpec parseNetwork(RawConfig raw) {
        String layersText = raw.string(MODEL_LAYERS);
        List<Integer> sizes = new ArrayList<>();
        for (String part : layersText.split(",")) {
            try {
                sizes.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(MODEL_LAYERS.name(), "'" + layersText
                        + "' is not a comma list of layer sizes: write e.g. 4,16,3 (input dimension first)");
            }
        }
        if (sizes.size() < 2) {
            throw new ConfigException(MODEL_LAYERS.name(), "needs at least an input and an output size, e.g. 4,1");
        }
        int[] layers = sizes.stream().mapToInt(Integer::intValue).toArray();
        List<Activation> activations = new ArrayList<>();
        try {
            for (String part : raw.string(MODEL_ACTIVATIONS).split(",")) {
                activations.add(Activation.fromConfigName(part));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODEL_ACTIVATIONS.name(), e.getMessage());
        }
        if (activations.size() != layers.length - 1) {
            throw new ConfigException(MODEL_ACTIVATIONS.name(), "has " + activations.size() + " entries but model.layers="
                    + layersText + " has " + (layers.length - 1) + " layers after the input: give one activation per layer");
        }
        double slope = raw.doubleValue(MODEL_LEAKY_SLOPE, 0, false, Double.POSITIVE_INFINITY, true);
        Initialization init;
        try {
            init = Initialization.fromConfigName(raw.string(MODEL_INIT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODEL_INIT.name(), e.getMessage());
        }
        long seed = raw.longValue(MODEL_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        try {
            return new NetworkSpec(layers, activations, slope, init, seed);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String key = msg != null && msg.contains("model.activations") ? MODEL_ACTIVATIONS.name() : MODEL_LAYERS.name();
            throw new ConfigException(key, msg);
        }
    }

    /*
     * Which optimizers read each optimizer key (every optimizer reads optimizer.lr, ftrl as its alpha, and
     * optimizer.clip-norm, which acts on the gradient before any of them), and which schedules read each
     * schedule key. A key set for a component that never reads it would otherwise be ignored without a
     * word: optimizer=sgd with optimizer.momentum=0.9, torch's way of asking for momentum, ran plain SGD.
     */
    private static final Map<ConfigKey, List<String>> OPTIMIZERS_READING = Map.ofEntries(
            entry(OPTIMIZER_MOMENTUM, List.of("momentum", "nesterov", "rmsprop")),
            entry(OPTIMIZER_DAMPENING, List.of("momentum", "nesterov")),
            entry(OPTIMIZER_BETA1, List.of("adam", "adamw")),
            entry(OPTIMIZER_BETA2, List.of("adam", "adamw")),
            entry(OPTIMIZER_EPS, List.of("adam", "adamw", "rmsprop", "adagrad", "adadelta")),
            entry(OPTIMIZER_ALPHA, List.of("rmsprop")),
            entry(OPTIMIZER_RHO, List.of("adadelta")),
            entry(OPTIMIZER_LR_DECAY, List.of("adagrad")),
            entry(OPTIMIZER_INITIAL_ACCUMULATOR, List.of("adagrad")),
            entry(OPTIMIZER_WEIGHT_DECAY,
                    List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta")),
            entry(OPTIMIZER_AMSGRAD, List.of("adam", "adamw")),
            entry(OPTIMIZER_CENTERED, List.of("rmsprop")),
            entry(OPTIMIZER_LAZY, List.of("momentum", "nesterov", "adam", "adamw", "rmsprop", "adadelta")),
            entry(FTRL_ALPHA, List.of("ftrl")),
            entry(FTRL_BETA, List.of("ftrl")),
            entry(FTRL_L1, List.of("ftrl")),
            entry(FTRL_L2, List.of("ftrl")));
    /** Which losses read each loss key: torch's HuberLoss(delta) and TripletMarginLoss(margin). */
    private static final Map<ConfigKey, List<String>> LOSSES_READING = Map.of(
            MODEL_LOSS_DELTA, List.of("huber"),
            MODEL_LOSS_MARGIN, List.of("triplet"));
    private static final Map<ConfigKey, List<String>> SCHEDULES_READING = Map.of(
            SCHEDULE_GAMMA, List.of("step", "exponential"),
            SCHEDULE_STEP_SIZE, List.of("step"),
            SCHEDULE_DECAY, List.of("inverse-time"),
            SCHEDULE_FACTOR, List.of("plateau"),
            SCHEDULE_PATIENCE, List.of("plateau"),
            SCHEDULE_MIN_LR, List.of("plateau"));
    /** train.cooldown counts the epochs an early stop skips: without early stop there are none. */
    private static final Map<ConfigKey, List<String>> EARLY_STOP_READING = Map.of(TRAIN_COOLDOWN, List.of("true"));
    /**
     * snapshot.tolerance is the margin of publish=best's loss gate. Not snapshot.every, though publish=best ignores
     * it too: configurations in use (the CLI contract's check among them) set it with the default publish mode.
     */
    private static final Map<ConfigKey, List<String>> PUBLISH_MODES_READING = Map.of(
            SNAPSHOT_TOLERANCE, List.of("best"));

    private static OptimizerConfig parseOptimizer(RawConfig raw) {
        String name = raw.choice(OPTIMIZER, OPTIMIZERS);
        refuseKeysNotRead(raw, OPTIMIZER, name, OPTIMIZERS_READING);
        if (name.equals("ftrl") && raw.has(OPTIMIZER_LR) && raw.has(FTRL_ALPHA)) {
            throw new ConfigException(OPTIMIZER_LR.name(), "sets the same FTRL alpha as optimizer.ftrl.alpha, and both"
                    + " are set (" + raw.string(OPTIMIZER_LR) + " and " + raw.string(FTRL_ALPHA) + "): remove one of them");
        }
        boolean lazy = raw.booleanValue(OPTIMIZER_LAZY);
        try {
            return switch (name) {
                case "sgd" -> new SgdConfig(lr(raw, 0.01), weightDecay(raw, 0));
                case "momentum", "nesterov" -> new MomentumConfig(lr(raw, 0.01), orDefault(raw, OPTIMIZER_MOMENTUM, 0.9),
                        raw.doubleValue(OPTIMIZER_DAMPENING), weightDecay(raw, 0), name.equals("nesterov"), lazy);
                case "adam" -> new AdamConfig(lr(raw, 1e-3), raw.doubleValue(OPTIMIZER_BETA1), raw.doubleValue(OPTIMIZER_BETA2),
                        orDefault(raw, OPTIMIZER_EPS, 1e-8), weightDecay(raw, 0), raw.booleanValue(OPTIMIZER_AMSGRAD), lazy);
                case "adamw" -> new AdamWConfig(lr(raw, 1e-3), raw.doubleValue(OPTIMIZER_BETA1), raw.doubleValue(OPTIMIZER_BETA2),
                        orDefault(raw, OPTIMIZER_EPS, 1e-8), weightDecay(raw, 1e-2), raw.booleanValue(OPTIMIZER_AMSGRAD), lazy);
                case "rmsprop" -> new RmspropConfig(lr(raw, 1e-2), raw.doubleValue(OPTIMIZER_ALPHA),
                        orDefault(raw, OPTIMIZER_EPS, 1e-8), weightDecay(raw, 0), orDefault(raw, OPTIMIZER_MOMENTUM, 0),
                        raw.booleanValue(OPTIMIZER_CENTERED), lazy);
                case "adagrad" -> new AdagradConfig(lr(raw, 1e-2), raw.doubleValue(OPTIMIZER_LR_DECAY), weightDecay(raw, 0),
                        raw.doubleValue(OPTIMIZER_INITIAL_ACCUMULATOR), orDefault(raw, OPTIMIZER_EPS, 1e-10));
                case "adadelta" -> new AdadeltaConfig(lr(raw, 1.0), raw.doubleValue(OPTIMIZER_RHO),
                        orDefault(raw, OPTIMIZER_EPS, 1e-6), weightDecay(raw, 0), lazy);
                case "ftrl" -> new FtrlConfig(raw.has(OPTIMIZER_LR) ? lr(raw, 0.1) : raw.doubleValue(FTRL_ALPHA),
                        raw.doubleValue(FTRL_BETA), raw.doubleValue(FTRL_L1), raw.doubleValue(FTRL_L2));
                default -> throw new IllegalStateException(name);
            };
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keyNamedIn(e.getMessage(), OPTIMIZER.name()), e.getMessage());
        }
    }

    private static LearningRateSchedule parseSchedule(RawConfig raw) {
        String name = raw.choice(SCHEDULE, SCHEDULES);
        refuseKeysNotRead(raw, SCHEDULE, name, SCHEDULES_READING);
        // Torch's ExponentialLR has no default gamma, and step's 0.1 here would cut the rate tenfold every
        // epoch, which with the default window is every 100 events.
        if (name.equals("exponential") && !raw.has(SCHEDULE_GAMMA)) {
            throw new ConfigException(SCHEDULE_GAMMA.name(), "is required with schedule=exponential (torch's"
                    + " ExponentialLR has no default; the rate is multiplied by it after every epoch): set a factor"
                    + " close to 1, e.g. schedule.gamma=0.95");
        }
        try {
            return switch (name) {
                case "constant" -> new ConstantSchedule();
                case "step" -> new StepSchedule(raw.doubleValue(SCHEDULE_GAMMA), raw.intValue(SCHEDULE_STEP_SIZE, 1, Integer.MAX_VALUE));
                case "exponential" -> new ExponentialSchedule(raw.doubleValue(SCHEDULE_GAMMA));
                case "inverse-time" -> new InverseTimeSchedule(raw.doubleValue(SCHEDULE_DECAY));
                case "plateau" -> new PlateauSchedule(raw.doubleValue(SCHEDULE_FACTOR),
                        raw.intValue(SCHEDULE_PATIENCE, 0, Integer.MAX_VALUE), raw.doubleValue(SCHEDULE_MIN_LR));
                default -> throw new IllegalStateException(name);
            };
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keyNamedIn(e.getMessage(), SCHEDULE.name()), e.getMessage());
        }
    }

    /**
     * Refuses a key that is set but that the chosen component ({@code choiceKey=chosen}) does not read, in
     * the order of {@link TrainingKeys#ALL}; a default never counts as set.
     */
    private static void refuseKeysNotRead(RawConfig raw, ConfigKey choiceKey, String chosen,
                                          Map<ConfigKey, List<String>> readers) {
        for (ConfigKey key : TrainingKeys.ALL) {
            List<String> names = readers.get(key);
            if (names != null && raw.has(key) && !names.contains(chosen)) {
                throw new ConfigException(key.name(), "only applies to " + choiceKey.name() + "="
                        + String.join("|", names) + " (" + choiceKey.name() + "=" + chosen + "): "
                        + fixFor(key, chosen, names.size() == 1 ? choiceKey.name() + "=" + names.get(0) : null));
            }
        }
    }

    /** The fix for a key that {@code chosen} does not read; the likely confusions get a pointed answer. */
    private static String fixFor(ConfigKey key, String chosen, String onlyReader) {
        if (chosen.equals("sgd") && (key == OPTIMIZER_MOMENTUM || key == OPTIMIZER_DAMPENING)) {
            return "remove it for plain SGD, or use optimizer=momentum (SGD with momentum, torch's SGD(momentum=...))";
        }
        if (chosen.equals("ftrl") && key == OPTIMIZER_WEIGHT_DECAY) {
            return "remove it, or use optimizer.ftrl.l2 for FTRL's L2 regularisation";
        }
        if (chosen.equals("ftrl") && key == OPTIMIZER_ALPHA) {
            return "remove it; FTRL's alpha is optimizer.ftrl.alpha";
        }
        if (key == OPTIMIZER_LAZY) {
            return "remove it (optimizer=" + chosen + " already updates only the columns a batch touches, exactly as"
                    + " a dense update would), or use one of those";
        }
        if (chosen.equals("plateau") && key == SCHEDULE_GAMMA) {
            return "remove it; plateau's reduction factor is schedule.factor";
        }
        if (key == SCHEDULE_FACTOR && (chosen.equals("step") || chosen.equals("exponential"))) {
            return "remove it; the decay factor of schedule=" + chosen + " is schedule.gamma";
        }
        if (key == TRAIN_COOLDOWN) {
            return "remove it (without early stop no epoch is skipped), or use train.early-stop=true, which needs"
                    + " train.holdout > 0";
        }
        if (key == SNAPSHOT_TOLERANCE) {
            return "remove it (publish=every publishes whatever the loss), or use snapshot.publish=best";
        }
        return onlyReader != null ? "remove it, or use " + onlyReader : "remove it, or use one of those";
    }

    private static double lr(RawConfig raw, double torchDefault) {
        return raw.has(OPTIMIZER_LR) ? raw.doubleValue(OPTIMIZER_LR, 0, true, Double.POSITIVE_INFINITY, true) : torchDefault;
    }

    private static double weightDecay(RawConfig raw, double torchDefault) {
        return raw.has(OPTIMIZER_WEIGHT_DECAY)
                ? raw.doubleValue(OPTIMIZER_WEIGHT_DECAY, 0, false, Double.POSITIVE_INFINITY, true) : torchDefault;
    }

    private static double orDefault(RawConfig raw, ConfigKey key, double torchDefault) {
        return raw.has(key) ? raw.doubleValue(key) : torchDefault;
    }

    /** The first documented key named in a component's message, so the error points at the right line. */
    private static String keyNamedIn(String message, String fallback) {
        if (message != null) {
            String best = null;
            for (ConfigKey k : TrainingKeys.ALL) {
                if (message.contains(k.name()) && (best == null || k.name().length() > best.length())) {
                    best = k.name();
                }
            }
            if (best != null) {
                return best;
            }
        }
        return fallback;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /**
     * CRC-32C of the architecture keys (layers, activations, leaky slope, loss, feature preprocessing).
     * Kept in state: a restore under a different architecture is refused; hyper-parameters may change.
     */
    public long architectureFingerprint() {
        StringBuilder sb = new StringBuilder();
        for (int size : network.layers()) {
            sb.append(size).append(',');
        }
        sb.append('|');
        for (Activation a : network.activations()) {
            sb.append(a.configName()).append(',');
        }
        sb.append('|').append(Double.doubleToLongBits(network.leakySlope()))
                .append('|').append(lossName)
                .append('|').append(standardize)
                .append('|').append(hashBits);
        CRC32C crc = new CRC32C();
        crc.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** A one-line description of the architecture, for messages. */
    public String architectureDescription() {
        StringBuilder sb = new StringBuilder("layers=");
        int[] l = network.layers();
        for (int i = 0; i < l.length; i++) {
            sb.append(i == 0 ? "" : ",").append(l[i]);
        }
        sb.append(" activations=");
        for (int i = 0; i < network.activations().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(network.activations().get(i).configName());
        }
        return sb.append(" loss=").append(lossName).append(" standardize=").append(standardize)
                .append(" hash-bits=").append(hashBits).toString();
    }
}
