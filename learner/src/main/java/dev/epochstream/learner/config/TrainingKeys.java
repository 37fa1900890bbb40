package dev.epochstream.learner.config;

import static dev.epochstream.learner.config.ConfigKey.optional;
import static dev.epochstream.learner.config.ConfigKey.required;

import java.util.List;

/**
 * The model, optimizer, schedule, epoch, training, feature, metric and snapshot keys. Names are public
 * contract (README.md documents each; a test checks that it does). Defaults follow torch 1.13.1 where
 * torch has one.
 */
public final class TrainingKeys {
    private TrainingKeys() {
    }

    public static final ConfigKey MODEL_LAYERS = required("model.layers",
            "Layer sizes as a comma list, input dimension first, e.g. 4,16,3.");
    public static final ConfigKey MODEL_ACTIVATIONS = required("model.activations",
            "One activation per layer after the input: identity|sigmoid|tanh|relu|leaky_relu|softmax (softmax last only).");
    public static final ConfigKey MODEL_LEAKY_SLOPE = optional("model.leaky-slope", "0.01",
            "Negative slope of leaky_relu (torch.nn.LeakyReLU default); part of the architecture, read by leaky_relu layers only.");
    public static final ConfigKey MODEL_LOSS = required("model.loss",
            "Loss: mse|mae|huber|bce|cce|hinge|kl|triplet.");
    public static final ConfigKey MODEL_LOSS_DELTA = optional("model.loss.delta", "1.0",
            "Huber delta (torch.nn.HuberLoss); model.loss=huber only.");
    public static final ConfigKey MODEL_LOSS_MARGIN = optional("model.loss.margin", "1.0",
            "Triplet margin (torch.nn.TripletMarginLoss); model.loss=triplet only.");
    public static final ConfigKey MODEL_INIT = optional("model.init", "xavier",
            "Weight initialisation: xavier (Glorot uniform) or he (He/Kaiming uniform), biases 0; or torch "
                    + "(torch.nn.Linear's default: weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))).");
    public static final ConfigKey MODEL_SEED = optional("model.seed", "0",
            "Seed of the initial weights; the same seed gives the same model on every machine.");

    public static final ConfigKey OPTIMIZER = optional("optimizer", "adam",
            "Optimizer: sgd|momentum|nesterov|adam|adamw|rmsprop|adagrad|adadelta (torch.optim semantics) or ftrl (FTRL-Proximal, no torch equivalent).");
    public static final ConfigKey OPTIMIZER_LR = optional("optimizer.lr", null,
            "Learning rate; default per optimizer, torch's where it has one: adam/adamw 0.001, rmsprop/adagrad 0.01, adadelta 1.0; sgd/momentum/nesterov 0.01 (torch has none), ftrl 0.1 (its alpha: set optimizer.lr or optimizer.ftrl.alpha, not both).");
    public static final ConfigKey OPTIMIZER_MOMENTUM = optional("optimizer.momentum", null,
            "Momentum factor of momentum/nesterov (default 0.9) and rmsprop (default 0); SGD with momentum is optimizer=momentum.");
    public static final ConfigKey OPTIMIZER_DAMPENING = optional("optimizer.dampening", "0",
            "Dampening of momentum (torch SGD), momentum/nesterov only; must be 0 with nesterov.");
    public static final ConfigKey OPTIMIZER_BETA1 = optional("optimizer.beta1", "0.9", "Adam/AdamW beta1.");
    public static final ConfigKey OPTIMIZER_BETA2 = optional("optimizer.beta2", "0.999", "Adam/AdamW beta2.");
    public static final ConfigKey OPTIMIZER_EPS = optional("optimizer.eps", null,
            "Numerical epsilon of adam/adamw/rmsprop (default 1e-8), adagrad (1e-10) and adadelta (1e-6) only.");
    public static final ConfigKey OPTIMIZER_ALPHA = optional("optimizer.alpha", "0.99", "RMSprop smoothing constant alpha.");
    public static final ConfigKey OPTIMIZER_RHO = optional("optimizer.rho", "0.9", "Adadelta rho.");
    public static final ConfigKey OPTIMIZER_LR_DECAY = optional("optimizer.lr-decay", "0", "Adagrad lr_decay.");
    public static final ConfigKey OPTIMIZER_INITIAL_ACCUMULATOR = optional("optimizer.initial-accumulator", "0",
            "Adagrad initial_accumulator_value.");
    public static final ConfigKey OPTIMIZER_WEIGHT_DECAY = optional("optimizer.weight-decay", null,
            "L2 weight decay as torch weight_decay (decoupled for adamw): 0, or 0.01 for adamw; every optimizer but ftrl (use optimizer.ftrl.l2).");
    public static final ConfigKey OPTIMIZER_AMSGRAD = optional("optimizer.amsgrad", "false", "Adam/AdamW AMSGrad variant.");
    public static final ConfigKey OPTIMIZER_CENTERED = optional("optimizer.centered", "false", "Centered RMSprop.");
    public static final ConfigKey OPTIMIZER_LAZY = optional("optimizer.lazy", "false",
            "With sparse input, adam/adamw/rmsprop/adadelta/momentum/nesterov update only the columns a batch touches (not torch's dense semantics); these optimizers only.");
    public static final ConfigKey OPTIMIZER_CLIP_NORM = optional("optimizer.clip-norm", null,
            "Clip gradients by global L2 norm as torch.nn.utils.clip_grad_norm_; absent = no clipping.");
    public static final ConfigKey FTRL_ALPHA = optional("optimizer.ftrl.alpha", "0.1", "FTRL-Proximal alpha (per-coordinate learning rate scale); optimizer.lr sets the same, give only one.");
    public static final ConfigKey FTRL_BETA = optional("optimizer.ftrl.beta", "1.0", "FTRL-Proximal beta.");
    public static final ConfigKey FTRL_L1 = optional("optimizer.ftrl.l1", "0", "FTRL-Proximal L1 regularisation.");
    public static final ConfigKey FTRL_L2 = optional("optimizer.ftrl.l2", "0", "FTRL-Proximal L2 regularisation.");

    public static final ConfigKey SCHEDULE = optional("schedule", "constant",
            "Learning-rate schedule, advanced once per epoch: constant|step|exponential|inverse-time|plateau.");
    public static final ConfigKey SCHEDULE_GAMMA = optional("schedule.gamma", "0.1",
            "Decay factor of step (default 0.1, torch StepLR's) and exponential (required, as torch ExponentialLR has no default: e.g. 0.95).");
    public static final ConfigKey SCHEDULE_STEP_SIZE = optional("schedule.step-size", "10", "Epochs between step decays (StepLR step_size).");
    public static final ConfigKey SCHEDULE_DECAY = optional("schedule.decay", "0.01", "inverse-time: lr = base / (1 + decay * epoch).");
    public static final ConfigKey SCHEDULE_FACTOR = optional("schedule.factor", "0.1", "plateau: factor of each reduction (ReduceLROnPlateau).");
    public static final ConfigKey SCHEDULE_PATIENCE = optional("schedule.patience", "10", "plateau: epochs without improvement before a reduction.");
    public static final ConfigKey SCHEDULE_MIN_LR = optional("schedule.min-lr", "0", "plateau: lower bound of the rate.");

    public static final ConfigKey EPOCH_WINDOW = optional("epoch.window", "count:100",
            "How a key's stream is cut into epochs: count:N, event-time:DURATION or processing-time:DURATION.");
    public static final ConfigKey EPOCH_PASSES = optional("epoch.passes", "1", "Training passes over each window.");
    public static final ConfigKey EPOCH_MAX_WAIT = optional("epoch.max-wait", "off",
            "count windows: close a partial window after this much processing time (e.g. 30s); off by default.");
    public static final ConfigKey EPOCH_ALLOWED_LATENESS = optional("epoch.allowed-lateness", "0ms",
            "event-time windows: how long a window stays open for late events; later ones are counted as late.");

    public static final ConfigKey TRAIN_BATCH_SIZE = optional("train.batch-size", "32", "Mini-batch size within a window.");
    public static final ConfigKey TRAIN_SHUFFLE = optional("train.shuffle", "false",
            "false: consecutive slices in arrival order; true: a deterministic shuffle seeded from model.seed, key, epoch and pass.");
    public static final ConfigKey TRAIN_HOLDOUT = optional("train.holdout", "0",
            "Fraction in [0,1) of events (by a stable hash of the event id) held out for validation, never trained on.");
    public static final ConfigKey TRAIN_PATIENCE = optional("train.patience", "3",
            "Epochs of validation loss rising while training loss falls before the overfitting flag is set.");
    public static final ConfigKey TRAIN_EARLY_STOP = optional("train.early-stop", "false",
            "When overfitting is flagged, skip training (still scoring and counting) for train.cooldown epochs.");
    public static final ConfigKey TRAIN_COOLDOWN = optional("train.cooldown", "5",
            "Epochs to skip training after an early stop; train.early-stop=true only.");

    public static final ConfigKey LEARNER_GEMM = optional("learner.gemm", "reproducible",
            "Dense matrix products: reproducible (plain loops, bit-identical results on every machine) or blas (a BLAS dgemm, native when libblas.so.3 is installed: several times faster on large layers, results reproducible only on the same machine and BLAS library).");

    public static final ConfigKey FEATURES_STANDARDIZE = optional("features.standardize", "false",
            "Standardise dense inputs with running mean/variance (Welford, training events only), stored in the snapshot.");
    public static final ConfigKey FEATURES_HASH_BITS = optional("features.hash-bits", "0",
            "Hash string attributes into 2^B sparse features appended after the dense ones (0 = off).");

    public static final ConfigKey METRICS_ROLLING_EPOCHS = optional("metrics.rolling-epochs", "10",
            "Number of recent epochs the rolling metrics cover.");

    public static final ConfigKey SNAPSHOT_EVERY = optional("snapshot.every", "1",
            "With snapshot.publish=every, publish a snapshot every N trained epochs (ignored with best).");
    public static final ConfigKey SNAPSHOT_PUBLISH = optional("snapshot.publish", "best",
            "best: publish only when the validation (else prequential) loss is within snapshot.tolerance of the best seen; every: every snapshot.every epochs.");
    public static final ConfigKey SNAPSHOT_TOLERANCE = optional("snapshot.tolerance", "0.05",
            "Relative tolerance of the best gate: publish when loss <= best + tolerance·|best| (and, without held-out events, when the training loss after the update is <= prequential + tolerance·|prequential|); snapshot.publish=best only.");
    public static final ConfigKey SNAPSHOT_OPTIMIZER_STATE = optional("snapshot.optimizer-state", "false",
            "Include optimizer state in snapshots, for warm restarts.");

    public static final List<ConfigKey> ALL = List.of(MODEL_LAYERS, MODEL_ACTIVATIONS, MODEL_LEAKY_SLOPE, MODEL_LOSS,
            MODEL_LOSS_DELTA, MODEL_LOSS_MARGIN, MODEL_INIT, MODEL_SEED, OPTIMIZER, OPTIMIZER_LR, OPTIMIZER_MOMENTUM,
            OPTIMIZER_DAMPENING, OPTIMIZER_BETA1, OPTIMIZER_BETA2, OPTIMIZER_EPS, OPTIMIZER_ALPHA, OPTIMIZER_RHO,
            OPTIMIZER_LR_DECAY, OPTIMIZER_INITIAL_ACCUMULATOR, OPTIMIZER_WEIGHT_DECAY, OPTIMIZER_AMSGRAD,
            OPTIMIZER_CENTERED, OPTIMIZER_LAZY, OPTIMIZER_CLIP_NORM, FTRL_ALPHA, FTRL_BETA, FTRL_L1, FTRL_L2,
            SCHEDULE, SCHEDULE_GAMMA, SCHEDULE_STEP_SIZE, SCHEDULE_DECAY, SCHEDULE_FACTOR, SCHEDULE_PATIENCE,
            SCHEDULE_MIN_LR, EPOCH_WINDOW, EPOCH_PASSES, EPOCH_MAX_WAIT, EPOCH_ALLOWED_LATENESS, TRAIN_BATCH_SIZE,
            TRAIN_SHUFFLE, TRAIN_HOLDOUT, TRAIN_PATIENCE, TRAIN_EARLY_STOP, TRAIN_COOLDOWN, LEARNER_GEMM, FEATURES_STANDARDIZE,
            FEATURES_HASH_BITS, METRICS_ROLLING_EPOCHS, SNAPSHOT_EVERY, SNAPSHOT_PUBLISH, SNAPSHOT_TOLERANCE,
            SNAPSHOT_OPTIMIZER_STATE);
}
