package dev.epochstream.learner.epoch;

import dev.epochstream.learner.config.PublishMode;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.Murmur3;
import dev.epochstream.learner.features.FeatureEncoder;
import dev.epochstream.learner.features.FeatureProblem;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.metric.Rolling;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.learner.nn.InputBatch;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.Workspace;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.schedule.LearningRateSchedule;
import dev.epochstream.learner.schedule.ScheduleState;
import dev.epochstream.learner.train.TrainingStep;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * What an epoch means in epochstream, implemented once: the streaming job, {@code replay} and the
 * tests all call {@link #trainEpoch}, so they cannot drift apart. The caller cuts the window (count,
 * event time, end of input); for one key's window this class, in order:
 *
 * <ol>
 *   <li>scores every event with the current model before training on any (prequential,
 *       test-then-train);</li>
 *   <li>splits off the held-out events: event id {@code id} is held out when
 *       {@code unsigned(MurmurHash3_x86_32(UTF-8(id), seed 0)) / 2^32 < train.holdout};</li>
 *   <li>updates the standardisation statistics with the training events (arrival order), then runs
 *       {@code epoch.passes} passes of mini-batches of {@code train.batch-size}: consecutive slices in
 *       arrival order with the last partial batch as its own step, or, with {@code train.shuffle}, a
 *       Fisher–Yates shuffle from {@code SplittableRandom(seed)} with seed mixed from model.seed, the key's
 *       hash, the epoch and the pass;</li>
 *   <li>measures the training loss after the passes, and validation metrics on held-out events;</li>
 *   <li>tracks the overfitting signal (validation loss rising while training loss falls for
 *       {@code train.patience} epochs) and, with {@code train.early-stop}, skips training for
 *       {@code train.cooldown} epochs;</li>
 *   <li>advances the schedule with the validation (else prequential) loss; the version becomes the
 *       number of epochs that trained (at least one applied update);</li>
 *   <li>decides publication: every {@code snapshot.every} versions, or, for {@code best}, when the
 *       validation (else prequential) loss is at most {@code best + snapshot.tolerance·|best|} and, without
 *       held-out events, the training loss after the update is at most
 *       {@code prequential + snapshot.tolerance·|prequential|} (the update did not make the model worse on
 *       the events it trained on).</li>
 * </ol>
 *
 * <p>A trainer owns one working network and its scratch, bound in turn to each key's own parameter arrays
 * (not copied: an epoch updates the key's model in place): one instance serves any number of keys, one at a
 * time. Not thread-safe.
 */
public final class EpochTrainer {
    /** Largest number of events scored in one forward pass. */
    static final int SCORING_CHUNK = 256;
    /** Input dimensions above which batches are kept sparse (CSR) rather than dense. */
    static final int SPARSE_INPUT_THRESHOLD = 4096;

    private static final System.Logger LOG = System.getLogger(EpochTrainer.class.getName());

    private final TrainingConfig config;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final OutputDecoder decoder;
    private final FeatureEncoder encoder;
    private final Network network;
    /** Never trained: every new model starts from its weights (model.seed gives every key the same start). */
    private final Network initial;
    private final TrainingStep step;
    private final Workspace workspace;
    private final TaskType task;
    private final int outputs;
    private final int classes;
    private final int targetWidth;
    private final int chunk;
    private final long fingerprint;
    /** Whether a scoring pass's forward rows may stand for a training batch's (see {@link Workspace#keepFirstRows}). */
    private final boolean reuseScoring;

    /** The layout of a fresh optimizer state of this configuration: what a model's state must have. */
    private final int freshCounters;
    private final int[] freshBufferLengths;
    /** Whether a reset of a model's optimizer or schedule state was logged (once per trainer: not per key). */
    private boolean resetLogged;

    private final ScoreBoard prequential;
    private final ScoreBoard validation;
    private final ScoreBoard trainingLossBoard;

    private int[] trainIdx = new int[64];
    private int[] holdIdx = new int[64];
    private int[] order = new int[64];

    public EpochTrainer(TrainingConfig config) {
        this.config = config;
        this.loss = config.createLoss();
        this.optimizer = config.optimizer().create();
        this.schedule = config.schedule();
        this.outputs = config.network().outputSize();
        this.decoder = new OutputDecoder(config.lossName(), outputs);
        this.task = decoder.task();
        this.classes = TaskType.classes(config.lossName(), outputs);
        this.encoder = new FeatureEncoder(config.denseInputs(), config.hashBits());
        this.network = new Network(config.network());
        this.initial = new Network(config.network());
        this.chunk = Math.max(config.batchSize(), SCORING_CHUNK);
        boolean sparse = config.hashBits() > 0 || config.network().inputSize() > SPARSE_INPUT_THRESHOLD;
        this.step = new TrainingStep(network, loss, optimizer, config.clipNorm(), chunk, sparse, config.gemm());
        this.workspace = step.workspace();
        this.targetWidth = loss.targetWidth(outputs);
        this.fingerprint = config.architectureFingerprint();
        // a reproducible forward pass computes each row from its own input alone (BLAS may not)
        this.reuseScoring = config.gemm() == Gemm.REPRODUCIBLE;
        this.prequential = new ScoreBoard(task, outputs, classes);
        this.validation = new ScoreBoard(task, outputs, classes);
        this.trainingLossBoard = new ScoreBoard(task, outputs, classes);
        // the layout only, not the state: a 2^20-input model's state is megabytes
        OptimizerState fresh = newOptimizerState();
        this.freshCounters = fresh.counters().length;
        this.freshBufferLengths = fresh.bufferLengths();
    }

    public TrainingConfig config() {
        return config;
    }

    public TaskType task() {
        return task;
    }

    public OutputDecoder decoder() {
        return decoder;
    }

    public FeatureEncoder encoder() {
        return encoder;
    }

    /** A fresh model for {@code key}: weights from model.seed, zeroed optimizer state, version 0. */
    public ModelState newModel(String key) {
        double[][] params = initial.parameters().newZeroedLike();
        initial.parameters().copyValuesTo(params);
        Standardizer std = config.standardize() ? new Standardizer(config.denseInputs()) : null;
        return new ModelState(key, fingerprint, params, newOptimizerState(), newSchedule(), std, newRing());
    }

    /** Logs the first reset of a model's optimizer or schedule state; later keys get the same, unlogged. */
    private void noteReset(ModelState m, String why) {
        if (!resetLogged) {
            resetLogged = true;
            LOG.log(System.Logger.Level.WARNING, "model ''{0}'': {1}: it starts afresh, the parameters carry on "
                    + "(the first such model; any other with the same state is treated alike, unlogged)", m.key, why);
        }
    }

    private static String describe(String kind) {
        return kind == null ? "another layout" : "optimizer '" + kind + "'";
    }

    private OptimizerState newOptimizerState() {
        OptimizerState opt = optimizer.newState(initial.parameters());
        opt.setKind(config.optimizer().name());
        return opt;
    }

    private ScheduleState newSchedule() {
        ScheduleState sched = schedule.newState(config.optimizer().lr());
        sched.setKind(schedule.name());
        return sched;
    }

    private Rolling<ScoreBoard> newRing() {
        return new Rolling<>(config.rollingEpochs(), new ScoreBoard(task, outputs, classes));
    }

    /**
     * Refuses a model made under another architecture (layers, activations, loss, feature
     * preprocessing); hyper-parameters may change between runs. Under another optimizer (or one whose state is
     * laid out otherwise, e.g. amsgrad switched on) the optimizer state starts afresh, as a new torch optimizer
     * over loaded weights would, and under another schedule the schedule does: the parameters carry on.
     */
    public void checkCompatible(ModelState m) {
        if (m.architectureFingerprint != fingerprint) {
            throw new IllegalStateException("model '" + m.key + "' was trained with another architecture "
                    + "(fingerprint " + Long.toHexString(m.architectureFingerprint) + ", this configuration has "
                    + Long.toHexString(fingerprint) + ": " + config.architectureDescription() + "). Architecture keys "
                    + "(model.layers, model.activations, model.leaky-slope, model.loss, features.*) cannot change on restore: "
                    + "restore the old values, or start a new job without restoring state");
        }
        if (!m.optimizer.continuableAs(config.optimizer().name(), freshCounters, freshBufferLengths)) {
            // another optimizer's buffers would be read as this one's (Adam's signed exp_avg as Adadelta's
            // square_avg: sqrt of a negative, NaN) or would not fit at all
            noteReset(m, "optimizer state of " + describe(m.optimizer.kind()) + " does not fit optimizer '"
                    + config.optimizer().name() + "'");
            m.optimizer = newOptimizerState();
        } else if (m.optimizer.kind() == null) {
            m.optimizer.setKind(config.optimizer().name()); // state of an older build: from now on it says
        }
        if (m.schedule.kind() != null && !m.schedule.kind().equals(schedule.name())) {
            noteReset(m, "schedule '" + m.schedule.kind() + "' is now '" + schedule.name() + "'");
            m.schedule = newSchedule();
        } else if (Double.doubleToLongBits(m.schedule.baseLr()) != Double.doubleToLongBits(config.optimizer().lr())) {
            // optimizer.lr changed between runs (e.g. a restart from a savepoint after divergence): the
            // schedule restarts from the new base rate; parameters and optimizer state carry on
            m.schedule = newSchedule();
        } else if (m.schedule.kind() == null) {
            m.schedule.setKind(schedule.name());
        }
        if (m.rolling.epochs() != config.rollingEpochs()) {
            // metrics.rolling-epochs changed between runs: the rolling window starts afresh
            m.rolling = newRing();
        }
    }

    /** Null when the event can train or be scored by this model, else why not. */
    public Refusal refusal(Example e) {
        FeatureProblem fp = encoder.problem(e);
        if (fp != null) {
            return Refusal.of(fp);
        }
        if (e.label() == null) {
            return null;
        }
        double[] y = e.label();
        for (double v : y) {
            if (!Double.isFinite(v)) {
                return new Refusal(Refusal.Kind.NON_FINITE, "label contains " + v);
            }
            if (Math.abs(v) > FeatureEncoder.MAX_ABS_FEATURE) {
                return new Refusal(Refusal.Kind.VALUE_TOO_LARGE, "label value " + v + " exceeds the bound "
                        + FeatureEncoder.MAX_ABS_FEATURE);
            }
        }
        String problem = loss.labelProblem(y, outputs);
        if (problem == null) {
            return null;
        }
        if (task == TaskType.DISTRIBUTION && y.length == outputs) {
            return new Refusal(Refusal.Kind.NOT_A_DISTRIBUTION, problem);
        }
        if (y.length == 1 && y[0] == Math.rint(y[0]) && classes > 0 && targetWidth == 1
                && (y[0] < 0 || y[0] >= classes)) {
            return new Refusal(Refusal.Kind.LABEL_OUT_OF_RANGE, problem);
        }
        return new Refusal(Refusal.Kind.BAD_LABEL, problem);
    }

    /** True when event {@code id} belongs to the validation set (stable across runs and machines). */
    public boolean isHeldOut(String id) {
        if (config.holdout() == 0) {
            return false;
        }
        long u = Integer.toUnsignedLong(Murmur3.hash32(id, 0));
        // u / 2^32 < f as README states it: exact in doubles (u < 2^32; scaling by a power of two), where
        // u < (long) (f·2^32) rounded the bound down and trained the one u = floor(f·2^32)
        return u * 0x1p-32 < config.holdout();
    }

    /**
     * Runs one epoch of {@code m} over {@code window} (labelled events of that key, in the order to
     * train them). Events the model refuses (see {@link #refusal}) are counted as refused and skipped;
     * callers that dead-letter them should filter them out first.
     *
     * @param windowStart window start in epoch millis, or {@link ModelState#NO_TIME}
     * @param windowEnd window end in epoch millis, or {@link ModelState#NO_TIME}
     * @param pending events of this key buffered in windows that are still open
     */
    public EpochResult trainEpoch(ModelState m, List<Example> window, long windowStart, long windowEnd, long pending) {
        return trainEpoch(m, window, windowStart, windowEnd, pending, false);
    }

    /**
     * {@link #trainEpoch(ModelState, List, long, long, long)} for a window whose every event has a label and
     * passed {@link #refusal} under this trainer's configuration (the job screens each event on arrival and
     * dead-letters the refused): the same epoch without screening every event a second time.
     */
    public EpochResult trainScreenedEpoch(ModelState m, List<Example> window, long windowStart, long windowEnd,
                                          long pending) {
        return trainEpoch(m, window, windowStart, windowEnd, pending, true);
    }

    private EpochResult trainEpoch(ModelState m, List<Example> window, long windowStart, long windowEnd, long pending,
                                   boolean screened) {
        checkCompatible(m);
        load(m);
        m.epochs++;
        int n = window.size();
        grow(n);
        int nTrain = 0;
        int nHold = 0;
        long refusedNow = 0;
        for (int i = 0; i < n; i++) {
            Example e = window.get(i);
            if (!screened && (e.label() == null || refusal(e) != null)) {
                refusedNow++;
                continue;
            }
            if (isHeldOut(e.id())) {
                holdIdx[nHold++] = i;
            } else {
                trainIdx[nTrain++] = i;
            }
        }
        m.recordRefused(refusedNow);
        m.seen += nTrain + nHold;
        m.heldOut += nHold;

        // 1. prequential: every usable event, before any update, in arrival order
        prequential.reset();
        int nAll = mergeSorted(trainIdx, nTrain, holdIdx, nHold, order);
        score(m, window, order, nAll, prequential, true);
        MetricValues preq = prequential.values();

        // 2-3. training
        boolean skipped = m.cooldownLeft > 0;
        if (skipped) {
            m.cooldownLeft--;
        }
        double lr = m.schedule.lr();
        int applied = 0;
        int refusedSteps = 0;
        // "trained" counts the events assigned to training, also in an early-stop cooldown epoch that
        // skips the update: per key, seen = trained + heldOut + late + refused + pending always holds
        m.trained += nTrain;
        if (!skipped && nTrain > 0) {
            if (m.standardizer != null) {
                for (int i = 0; i < nTrain; i++) {
                    m.standardizer.update(window.get(trainIdx[i]));
                }
            }
            int batch = config.batchSize();
            int first = Math.min(batch, nTrain);
            // the prequential forward pass, still in the workspace, is the first step's: same parameters, same
            // unstandardised rows in the same order (no held-out event among them, no shuffle), one chunk
            boolean firstForwardScored = reuseScoring && m.standardizer == null && !config.shuffle() && nAll <= chunk
                    && (nHold == 0 || holdIdx[0] > trainIdx[first - 1]);
            for (int pass = 0; pass < config.passes(); pass++) {
                System.arraycopy(trainIdx, 0, order, 0, nTrain);
                if (config.shuffle()) {
                    shuffle(order, nTrain, shuffleSeed(m.key, m.epochs, pass));
                }
                for (int start = 0; start < nTrain; start += batch) {
                    int size = Math.min(batch, nTrain - start);
                    boolean applies;
                    if (firstForwardScored && pass == 0 && start == 0) {
                        workspace.keepFirstRows(size);
                        applies = step.stepOnForward(m.optimizer, lr);
                    } else {
                        fill(window, order, start, size, m.standardizer);
                        applies = step.step(m.optimizer, lr);
                    }
                    if (applies) {
                        applied++;
                    } else {
                        refusedSteps++;
                    }
                }
            }
            for (int i = 0; i < nTrain; i++) {
                long t = window.get(trainIdx[i]).time();
                if (t > m.trainedThrough) {
                    m.trainedThrough = t;
                }
            }
        }
        m.refusedUpdates += refusedSteps;
        boolean trainedNow = applied > 0;
        if (trainedNow) {
            m.version++;
        }

        // 4. training loss after the passes, validation metrics on held-out events
        double trainingLoss = Double.NaN;
        if (nTrain > 0) {
            trainingLossBoard.reset();
            score(m, window, trainIdx, nTrain, trainingLossBoard, false);
            trainingLoss = trainingLossBoard.loss().value();
        }
        MetricValues val = null;
        if (nHold > 0) {
            validation.reset();
            score(m, window, holdIdx, nHold, validation, true);
            val = validation.values();
        }

        // 5. overfitting signal and early stop
        boolean overfitting = false;
        if (val != null && Double.isFinite(trainingLoss)) {
            boolean rising = Double.isFinite(m.previousValidationLoss) && val.loss() > m.previousValidationLoss;
            boolean falling = Double.isFinite(m.previousTrainingLoss) && trainingLoss < m.previousTrainingLoss;
            m.overfitStreak = rising && falling ? m.overfitStreak + 1 : 0;
            overfitting = m.overfitStreak >= config.patience();
            m.previousValidationLoss = val.loss();
            m.previousTrainingLoss = trainingLoss;
            if (overfitting && config.earlyStop() && m.cooldownLeft == 0) {
                m.cooldownLeft = config.cooldown();
                m.overfitStreak = 0;
            }
        }

        // 6. schedule and rolling metrics
        double monitored = val != null ? val.loss() : preq.loss();
        schedule.advance(m.schedule, monitored);
        m.rolling.startEpoch();
        m.rolling.current().merge(prequential);
        MetricValues rolling = m.rolling.value().values();

        // 7. publish gate
        boolean publish = false;
        if (trainedNow) {
            if (config.publish() == PublishMode.EVERY) {
                publish = m.version % config.snapshotEvery() == 0;
            } else if (Double.isFinite(monitored)) {
                double best = m.bestLoss;
                publish = best == Double.POSITIVE_INFINITY || monitored <= best + config.tolerance() * Math.abs(best);
                if (val == null) {
                    // Without held-out events the monitored (prequential) loss was measured before the update,
                    // so it cannot see an update that diverged without overflowing (an absurd learning rate:
                    // finite parameters around 1e100). The training loss covers the same events after the
                    // update: the model must not have got worse on the very events it trained on.
                    double before = preq.loss();
                    publish &= trainingLoss <= before + config.tolerance() * Math.abs(before);
                }
                if (publish && monitored < best) {
                    m.bestLoss = monitored;
                }
            }
        }
        if (publish) {
            m.publishedVersion = m.version;
        }
        return new EpochResult(m.key, m.epochs, windowStart, windowEnd, m.version, m.seen + pending, m.trained, m.heldOut,
                m.late, m.refused, pending, task, preq, trainingLoss, val, lr, m.rolling.epochsHeld(), rolling, overfitting,
                refusedSteps > 0, skipped, publish);
    }

    /**
     * Scores one event with the key's current model (events without a label, and {@code predict}).
     * The event must pass {@link #refusal}.
     */
    public Scored score(ModelState m, Example e) {
        checkCompatible(m);
        load(m);
        InputBatch in = workspace.input();
        in.clear();
        encoder.encode(e, m.standardizer, in);
        workspace.catchUpInputColumns(optimizer, m.optimizer);
        return decoder.scored(workspace.forward(), 0, m.version);
    }

    /**
     * The exportable image of {@code m} (arrays shared); optimizer state only when asked. The image is the dense
     * run's model: the columns whose weight decay sparse steps deferred are caught up first, in {@code m}
     * itself (bit for bit what the dense run holds; epochs catch up only the columns they read).
     */
    public ModelImage image(ModelState m, boolean withOptimizer) {
        load(m);
        optimizer.catchUpAll(network.parameters(), m.optimizer);
        return new ModelImage(m.key, m.version, m.trainedThrough, m.parameters, withOptimizer ? m.optimizer : null,
                m.standardizer, m.seen, m.trained, m.heldOut, m.late, m.refused, m.refusedUpdates, m.epochs);
    }

    /**
     * A model restored from an image (a snapshot or a file): parameters, statistics and counters as in the
     * image, the optimizer state from the image when it has a compatible one (else fresh, as for a new
     * model), and a fresh schedule, gate and rolling metrics. Shapes are checked against this configuration.
     */
    public ModelState restore(ModelImage image) {
        ModelState fresh = newModel(image.key());
        if (image.parameters().length != fresh.parameters.length) {
            throw new IllegalArgumentException("model '" + image.key() + "' has " + image.parameters().length
                    + " parameter tensors, this configuration needs " + fresh.parameters.length + " ("
                    + config.architectureDescription() + ")");
        }
        for (int i = 0; i < fresh.parameters.length; i++) {
            if (image.parameters()[i].length != fresh.parameters[i].length) {
                throw new IllegalArgumentException("model '" + image.key() + "' tensor " + i + " has "
                        + image.parameters()[i].length + " values, this configuration needs " + fresh.parameters[i].length
                        + " (" + config.architectureDescription() + ")");
            }
            System.arraycopy(image.parameters()[i], 0, fresh.parameters[i], 0, fresh.parameters[i].length);
        }
        if (image.optimizer() != null && image.optimizer().continuableAs(fresh.optimizer)) {
            image.optimizer().copyTo(fresh.optimizer);
        }
        if (fresh.standardizer != null && image.standardizer() != null
                && image.standardizer().inputs() == fresh.standardizer.inputs()) {
            fresh.standardizer.copyFrom(image.standardizer());
        }
        fresh.version = image.version();
        fresh.epochs = image.epochs();
        fresh.trainedThrough = image.trainedThrough();
        fresh.seen = image.seen();
        fresh.trained = image.trained();
        fresh.heldOut = image.heldOut();
        fresh.late = image.late();
        fresh.refused = image.refused();
        fresh.refusedUpdates = image.refusedUpdates();
        return fresh;
    }

    /**
     * Points the working network at the key's own parameter arrays: training then updates the model in place
     * and nothing is copied in or out (an epoch of a 2^20-input model used to copy 8 MB each way, more than
     * its 100 events of training cost). Checked against this configuration's shapes.
     */
    private void load(ModelState m) {
        network.bind(m.parameters);
    }

    /** Fills the workspace with events {@code idx[start .. start+size)} and their targets. */
    private void fill(List<Example> window, int[] idx, int start, int size, Standardizer std) {
        InputBatch in = workspace.input();
        in.clear();
        DMatrixRMaj targets = workspace.targets();
        targets.reshape(size, targetWidth);
        for (int r = 0; r < size; r++) {
            Example e = window.get(idx[start + r]);
            encoder.encode(e, std, in);
            System.arraycopy(e.label(), 0, targets.data, r * targetWidth, targetWidth);
        }
    }

    /** Scores {@code idx[0..count)} in chunks into {@code board} (loss, and metrics when asked). */
    private void score(ModelState m, List<Example> window, int[] idx, int count, ScoreBoard board, boolean metrics) {
        for (int start = 0; start < count; start += chunk) {
            int size = Math.min(chunk, count - start);
            fill(window, idx, start, size, m.standardizer);
            workspace.catchUpInputColumns(optimizer, m.optimizer);
            DMatrixRMaj out = workspace.forward();
            double l = workspace.lossOfForward();
            board.loss().update(l, size);
            if (metrics) {
                for (int r = 0; r < size; r++) {
                    record(board, out, r, window.get(idx[start + r]).label());
                }
            }
        }
    }

    private void record(ScoreBoard board, DMatrixRMaj out, int r, double[] label) {
        switch (task) {
            case CLASSIFICATION -> {
                int actual = decoder.labelClass(label);
                board.classification().update(actual, decoder.predictedClass(out, r), decoder.probabilityOf(out, r, actual));
            }
            case DISTRIBUTION -> board.classification().update(decoder.labelClass(label), decoder.predictedClass(out, r),
                    Double.NaN);
            case MULTILABEL -> board.multilabel().update(out.data, r * out.numCols, label);
            case REGRESSION -> board.regression().update(out.data, r * out.numCols, label, 0);
            case EMBEDDING -> {
                // triplet embeddings: the loss is the metric
            }
        }
    }

    private void grow(int n) {
        if (trainIdx.length < n) {
            int size = Math.max(n, 2 * trainIdx.length);
            trainIdx = new int[size];
            holdIdx = new int[size];
            order = new int[size];
        }
    }

    /** Merges two increasing index lists into {@code out}; returns the count. */
    private static int mergeSorted(int[] a, int na, int[] b, int nb, int[] out) {
        int i = 0, j = 0, k = 0;
        while (i < na || j < nb) {
            out[k++] = j >= nb || (i < na && a[i] < b[j]) ? a[i++] : b[j++];
        }
        return k;
    }

    long shuffleSeed(String key, long epoch, int pass) {
        long h = config.network().seed();
        h = mix(h ^ Integer.toUnsignedLong(Murmur3.hash32(key, 0)));
        h = mix(h ^ epoch);
        return mix(h ^ pass);
    }

    /** The SplitMix64 finaliser (Steele et al. 2014): a fixed, portable 64-bit mixer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Fisher–Yates over {@code a[0..n)} with a seeded SplittableRandom (portable by specification). */
    private static void shuffle(int[] a, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
