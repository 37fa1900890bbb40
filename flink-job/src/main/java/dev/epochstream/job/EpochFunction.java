package dev.epochstream.job;

import dev.epochstream.job.state.ExampleSerializer;
import dev.epochstream.job.state.ModelStateSerializer;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.config.WindowSpec;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Refusal;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.learner.nn.BlasProducts;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.EpochRecords;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The keyed training operator: one model per key in keyed state, its open windows buffered in keyed
 * state, the {@link EpochTrainer} run when a window closes. Emits the epoch's metrics on the main
 * output, and snapshots, predictions (events without a label, scored by the key's current model and never
 * trained on) and dead letters (events the model refuses, late events, keys over the cap) on side outputs.
 *
 * <p>Windows ({@code epoch.window}): {@code count:N} closes every N labelled events of the key, after
 * {@code epoch.max-wait} of processing time for a partial window when set, and at the end of a bounded
 * input; {@code event-time:D} closes when the watermark passes window end + allowed lateness and trains its
 * events sorted by (time, id); {@code processing-time:D} closes on the wall clock, and at the end of a
 * bounded input. Because buffers, models
 * and timers are all keyed state, a restore from a checkpoint continues exactly where the checkpoint was.
 *
 * <p>Buffers. A count window is a {@link ListState} of the validated {@link Example}s ({@code count-buffer},
 * {@link ExampleSerializer}): appended per event (on RocksDB a merge, no read) and read and cleared once
 * when the window closes (one key, one tombstone), so a key's cost per window does not grow with the
 * number of windows it has had, and the closing window trains on the examples as they were validated on
 * arrival, without a second Avro decoding. Time windows keep the {@link MapState} {@code window-buffer} of
 * the events keyed by (window start, arrival sequence number): several of a key's windows can be open at
 * once (out-of-order events, allowed lateness), and a window closes by removing exactly its own entries.
 * The windows one watermark (or processing-time timer) passes are trained from a single read of the key's
 * buffer, oldest first, however many they are (a backlog read at full speed leaves thousands behind one
 * watermark step); for event time the bookkeeping then remembers that watermark, so that the timers of
 * the windows already trained return at once.
 *
 * <p>Migration. Up to the {@code count-buffer} layout, count windows were buffered in
 * {@code window-buffer} too (with window start 0), and a key's bookkeeping had {@value #BOOK_V1_LENGTH}
 * values. A key restored with such bookkeeping and buffered count-window events has them moved, in their
 * arrival order, to {@code count-buffer} the first time the key is touched (its next event or timer);
 * its bookkeeping then grows to {@value #BOOK_LENGTH} values, and a key never looks at
 * {@code window-buffer} again for count windows. Keys created since never had old entries and never look.
 */
public final class EpochFunction extends KeyedProcessFunction<String, LabelledEvent, EpochMetrics>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SnapshotMessage> SNAPSHOTS =
            new OutputTag<>("snapshots", TypeInformation.of(SnapshotMessage.class));
    public static final OutputTag<Prediction> PREDICTIONS = new OutputTag<>("predictions", TypeInformation.of(Prediction.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Event-time timer that flushes every partial count or processing-time window at the end of a bounded input. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;
    /** Bits of a key's count in an entry of the keys-per-key-group state; the key group above them. */
    private static final int KEY_GROUP_SHIFT = 40;

    private final JobConfig config;

    private transient TrainingConfig training;
    private transient EpochTrainer trainer;
    private transient WindowSpec window;
    private transient DeadLetters deadLetters;
    private transient WarmStart warmStart;
    private transient int keyLimitPerSubtask;

    private transient ValueState<ModelState> model;
    /** Time windows' events, keyed by (window start, sequence number); count windows' before the migration. */
    private transient MapState<Tuple2<Long, Long>, LabelledEvent> buffer;
    /** The open count window's examples in arrival order. */
    private transient ListState<Example> countBuffer;
    /**
     * [next sequence number, buffered events, max-wait deadline or 0, last event processing time, buffer
     * layout]. Bookkeeping of {@value #BOOK_V1_LENGTH} values predates the layout value: see the class javadoc.
     */
    private transient ValueState<long[]> bookkeeping;

    private static final int BOOK_V1_LENGTH = 4;
    private static final int BOOK_LENGTH = 5;
    /** Index of the buffer layout in the bookkeeping. */
    private static final int LAYOUT = 4;
    /** Count windows buffered in {@code count-buffer}. */
    private static final long LAYOUT_COUNT_LIST = 1;
    /**
     * As {@link #LAYOUT_COUNT_LIST}, and for event-time windows {@code book[FIRED_THROUGH]} holds the
     * watermark through which every window of the key has been trained (the slot count windows use for
     * their max-wait deadline; any other layout value means "not known").
     */
    private static final long LAYOUT_FIRED_THROUGH = 2;
    /** Index of the fired-through watermark of event-time windows (see {@link #LAYOUT_FIRED_THROUGH}). */
    private static final int FIRED_THROUGH = 2;

    private transient ListState<Long> keyCountState;
    /**
     * Union state: this job's keys per key group, one entry {@code keyGroup·2^40 + count} per key group with
     * keys. A restore at another parallelism sums the entries of the key groups it now serves, where the
     * per-subtask {@link #keyCountState} alone would hand one subtask another's count.
     */
    private transient ListState<Long> keysPerKeyGroupState;
    /** Keys with state per key group (this subtask's key groups only are non-zero). */
    private transient long[] keysPerKeyGroup;
    /**
     * False after restoring state of an older build with keys: their key groups are not known, so the per-group
     * counts are not written (a later restore then uses the per-subtask counts, as that build did).
     */
    private transient boolean keysPerKeyGroupExact;
    private transient ListState<Long> fingerprintState;
    /** {@link #bufferLayout()} of the configuration that wrote the state (absent in state of older builds). */
    private transient ListState<String> windowState;
    /** See {@link #restoredHorizon}; union state, one "partition:offset" entry per partition per subtask. */
    private transient ListState<String> warmStartHorizonState;
    /** The offsets the first warm start read the snapshot topic up to, or null before it ({@link #restoredHorizon}). */
    private transient Map<Integer, Long> warmStartHorizon;
    private transient long keyCount;
    /** Processing time of this instance's (re)start ({@link #noteStart}, see {@link #expire}); Long.MIN_VALUE before. */
    private transient long startedAt;
    /** Set by {@link #fireWindowsThrough}: the earliest start of a buffered window it left, or Long.MAX_VALUE. */
    private transient long firstStartLeft;

    private transient KeyGroupCounter trained;
    private transient KeyGroupCounter scored;
    private transient KeyGroupCounter heldOut;
    private transient KeyGroupCounter late;
    private transient KeyGroupCounter deadLettered;
    private transient KeyGroupCounter refusedUpdates;
    private transient KeyGroupCounter epochs;
    private transient volatile double currentLoss = Double.NaN;
    private transient volatile long servingVersion;
    private transient volatile long epochMillis;
    private transient volatile long freshnessLag;

    public EpochFunction(JobConfig config) {
        this.config = config;
    }

    /** Every key's counters and timers of record: a key holds this state exactly while it has a model or events. */
    static ValueStateDescriptor<long[]> bookkeepingDescriptor() {
        return new ValueStateDescriptor<>("bookkeeping",
                org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** True when state.ttl is on: keys expire after that long without events. */
    boolean expires() {
        return config.stateTtl() != null;
    }

    /** True when epochs are event-time windows (known once open). */
    boolean windowsByEventTime() {
        return window.kind() == WindowSpec.Kind.EVENT_TIME;
    }

    /**
     * The event-time timer a restored key's buffered windows need at a (re)start, or Long.MIN_VALUE for none. Their
     * timers were armed under the epoch.allowed-lateness of the run that buffered them: a longer one now is
     * handled when they fire (onTimer arms the next window's timer by the new lateness), but a shorter one would
     * wait for them. This timer, just past the watermark the key has fired through (or at the first watermark
     * when that is not known), makes onTimer close every window the new lateness allows and arm the next.
     */
    long restartWindowTimer(long[] stored) {
        if (!windowsByEventTime() || stored == null || stored[1] == 0) {
            return Long.MIN_VALUE;
        }
        return stored.length >= BOOK_LENGTH && stored[LAYOUT] == LAYOUT_FIRED_THROUGH
                ? saturatedAdd(stored[FIRED_THROUGH], 1) : Long.MIN_VALUE + 1;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        startedAt = Long.MIN_VALUE;
        training = config.training();
        trainer = new EpochTrainer(training);
        if (training.gemm() == Gemm.BLAS) {
            org.slf4j.LoggerFactory.getLogger(EpochFunction.class).info(
                    "learner.gemm=blas: dense products through {}", BlasProducts.implementationName());
        } else if (!Gemm.vectorApiEnabled()) {
            // same doubles either way, so this is only a matter of speed: say how to get it back
            org.slf4j.LoggerFactory.getLogger(EpochFunction.class).warn("learner.gemm=reproducible runs its"
                    + " scalar kernels (same results, dense training about half as fast): this JVM lacks the module"
                    + " jdk.incubator.vector or sets epochstream.learner.vector=false; add --add-modules"
                    + " jdk.incubator.vector to env.java.opts.all");
        }
        window = training.window();
        deadLetters = new DeadLetters(config.eventsFormat(), config.maxRecordBytes());
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        keyLimitPerSubtask = (int) Math.max(1, (config.keysMax() + (long) parallelism - 1) / parallelism);
        model = getRuntimeContext().getState(new ValueStateDescriptor<>("model", ModelStateSerializer.INSTANCE));
        buffer = getRuntimeContext().getMapState(new MapStateDescriptor<>("window-buffer",
                Types.TUPLE(Types.LONG, Types.LONG), TypeInformation.of(LabelledEvent.class)));
        countBuffer = getRuntimeContext().getListState(new ListStateDescriptor<>("count-buffer", ExampleSerializer.INSTANCE));
        bookkeeping = getRuntimeContext().getState(bookkeepingDescriptor());
        warmStart = openWarmStart(parallelism);

        var group = getRuntimeContext().getMetricGroup();
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        trained = new KeyGroupCounter(group, "eventsTrained", maxParallelism);
        scored = new KeyGroupCounter(group, "eventsScored", maxParallelism);
        heldOut = new KeyGroupCounter(group, "eventsHeldOut", maxParallelism);
        late = new KeyGroupCounter(group, "eventsLate", maxParallelism);
        deadLettered = new KeyGroupCounter(group, "eventsDeadLettered", maxParallelism);
        refusedUpdates = new KeyGroupCounter(group, "refusedUpdates", maxParallelism);
        epochs = new KeyGroupCounter(group, "epochs", maxParallelism);
        group.gauge("currentLoss", () -> currentLoss);
        group.gauge("servingVersion", () -> servingVersion);
        group.gauge("epochDurationMs", () -> epochMillis);
        group.gauge("freshnessLagMs", () -> freshnessLag);
        group.gauge("keys", () -> keyCount);
    }

    private WarmStart openWarmStart(int parallelism) throws Exception {
        String mode = config.warmStart();
        if (mode.startsWith("file:")) {
            WarmStart w = WarmStart.fromFile(Path.of(mode.substring("file:".length())));
            ModelSnapshot s = w.lookup("");
            String mismatch = ModelSnapshots.architectureMismatch(s, training);
            if (mismatch != null) {
                // every new key would start from weights read as another network's (same sizes, other activations)
                throw new IllegalStateException("model.warm-start=" + mode + ": the snapshot was made under another "
                        + "architecture: " + mismatch + ". Use a snapshot of this architecture, or model.warm-start=none");
            }
            return w;
        }
        if (mode.equals("snapshots")) {
            int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
            int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            WarmStart w = WarmStart.fromTopic(config.kafkaProperties(), config.snapshotsTopic(),
                    key -> KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism) == me,
                    Duration.ofMinutes(2), warmStartHorizon, training);
            if (warmStartHorizon == null) {
                warmStartHorizon = w.readThrough(); // this is the first warm start: restores read up to here
            }
            return w;
        }
        return WarmStart.none();
    }

    @Override
    public void processElement(LabelledEvent event, Context ctx, Collector<EpochMetrics> out) throws Exception {
        String key = ctx.getCurrentKey();
        // The model is read from state only when this event needs it, and created only when first needed
        // (usually when the key's first window closes): buffering an event into an open window leaves the
        // model untouched, and on RocksDB every read and write (de)serialises it whole. A key has a model
        // only if it has bookkeeping, so the small value alone tells a new key from a known one.
        long[] book = bookkeeping.value();
        if (book == null) {
            if (keyCount >= keyLimitPerSubtask) {
                deadLetter(ctx, event, "key-limit", "key '" + key + "' would exceed keys.max=" + config.keysMax()
                        + " models (" + keyLimitPerSubtask + " per subtask)");
                return;
            }
            keyCount++;
            keysPerKeyGroup[keyGroup(key)]++;
            book = newBook();
        } else if (book.length < BOOK_LENGTH) {
            book = migrated(book);
        }
        long now = ctx.timerService().currentProcessingTime();
        noteStart(now);
        book[3] = now;
        scheduleExpiry(ctx, now);

        Example e = Events.toExample(event);
        Refusal refusal = trainer.refusal(e);
        if (refusal != null) {
            ModelState m = loaded(null, key);
            m.recordRefused(1);
            model.update(m);
            bookkeeping.update(book);
            deadLetter(ctx, event, refusal.kind().code(), refusal.message());
            return;
        }
        if (e.label() == null) {
            ModelState m = model.value();
            if (m == null) {
                m = createModel(key);
                model.update(m); // stored now: every later prediction of the key would create it again
            }
            Scored s = trainer.score(m, e);
            scored.inc(key, 1);
            ctx.output(PREDICTIONS, EpochRecords.prediction(e.id(), key, e.time(), s));
            bookkeeping.update(book);
            return;
        }
        switch (window.kind()) {
            case COUNT -> {
                countBuffer.add(e);
                book[1]++;
                if (book[1] == 1) {
                    // never deleted when the window closes (onTimer ignores it without buffered events):
                    // a key's next window registers the same timer again, a write without a read
                    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
                    if (training.maxWait() != null) {
                        book[2] = now + training.maxWait().toMillis();
                        ctx.timerService().registerProcessingTimeTimer(book[2]);
                    }
                }
                if (book[1] >= window.count()) {
                    fireCount(ctx, null, book, out);
                }
            }
            case EVENT_TIME -> {
                long size = window.size().toMillis();
                long start = Math.floorDiv(e.time(), size) * size;
                // start + size - 1 cannot overflow (the source bounds event time to the years 0001-9999); the
                // lateness may be up to 2^63 ms: such a window closes only at the end of input
                long fireAt = saturatedAdd(start + size - 1, training.allowedLateness().toMillis());
                if (fireAt <= ctx.timerService().currentWatermark()) {
                    ModelState m = loaded(null, key);
                    m.recordLate(1);
                    late.inc(key, 1);
                    model.update(m);
                    deadLetter(ctx, event, "late", "event time " + e.time() + " belongs to the window [" + start + ", "
                            + (start + size) + ") that closed at watermark " + ctx.timerService().currentWatermark());
                } else {
                    buffer.put(Tuple2.of(start, book[0]++), event);
                    book[1]++;
                    ctx.timerService().registerEventTimeTimer(fireAt);
                    if (book[LAYOUT] == LAYOUT_FIRED_THROUGH && fireAt <= book[FIRED_THROUGH]) {
                        // only after a restore, whose watermark starts over: this window's timer must look
                        book[FIRED_THROUGH] = fireAt - 1;
                    }
                }
            }
            case PROCESSING_TIME -> {
                long size = window.size().toMillis();
                long start = Math.floorDiv(now, size) * size;
                buffer.put(Tuple2.of(start, book[0]++), event);
                book[1]++;
                ctx.timerService().registerProcessingTimeTimer(start + size - 1);
                if (book[1] == 1) {
                    // pending processing-time timers are dropped when a bounded input ends: the final
                    // watermark is what trains the window still open then; registered when the key's buffer
                    // stops being empty and kept (as for count windows), not written again per event
                    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
                }
            }
        }
        bookkeeping.update(book);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EpochMetrics> out) throws Exception {
        long[] stored = bookkeeping.value();
        if (stored == null) {
            return; // a timer left behind by an expired key
        }
        long[] book = stored.length < BOOK_LENGTH ? migrated(stored) : stored;
        ModelState m = null; // read (or created) only when a window closes
        boolean eventTime = ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME;
        // every processing-time timer may be an expiry timer, possibly armed under a shorter state.ttl: expire() decides
        if (expires() && !eventTime) {
            if (expire(ctx, m, book, out)) {
                return;
            }
        }
        switch (window.kind()) {
            case COUNT -> {
                boolean endOfInput = eventTime && timestamp == END_OF_INPUT;
                boolean maxWait = !eventTime && book[2] != 0 && timestamp == book[2];
                if ((endOfInput || maxWait) && book[1] > 0) {
                    fireCount(ctx, m, book, out);
                }
            }
            case EVENT_TIME -> {
                if (eventTime) {
                    if (book[LAYOUT] == LAYOUT_FIRED_THROUGH && timestamp <= book[FIRED_THROUGH]) {
                        // an earlier timer of this watermark (or an earlier one) already trained this
                        // window: no event can have joined it since, it would have been late
                        return;
                    }
                    // Every window the watermark has passed, in one read of the buffer: Flink calls onTimer
                    // once per window end, and a backlog read at full speed leaves thousands of windows
                    // (of one key) behind a single watermark step.
                    long watermark = Math.max(timestamp, ctx.timerService().currentWatermark());
                    long wait = saturatedAdd(window.size().toMillis() - 1, training.allowedLateness().toMillis());
                    // the final watermark closes every window, even one whose end plus lateness is beyond it
                    long lastStart = watermark == END_OF_INPUT ? END_OF_INPUT : saturatedAdd(watermark, -wait);
                    fireWindowsThrough(ctx, m, book, lastStart, out);
                    book[FIRED_THROUGH] = watermark;
                    book[LAYOUT] = LAYOUT_FIRED_THROUGH;
                    if (firstStartLeft != Long.MAX_VALUE) {
                        // Arms the next buffered window's timer again: a no-op when it is armed already, and
                        // after a restore with a longer epoch.allowed-lateness the only timer that will close
                        // it (those armed before the restore, under the old lateness, fire too early).
                        ctx.timerService().registerEventTimeTimer(saturatedAdd(firstStartLeft + window.size().toMillis() - 1,
                                training.allowedLateness().toMillis()));
                    }
                }
            }
            case PROCESSING_TIME -> {
                long size = window.size().toMillis();
                if (eventTime && timestamp == END_OF_INPUT) {
                    fireWindowsThrough(ctx, m, book, Long.MAX_VALUE, out);
                } else if (!eventTime) {
                    fireWindowsThrough(ctx, m, book, timestamp - (size - 1), out);
                }
            }
        }
        bookkeeping.update(book);
    }

    /** {@code a + b}, clamped to the range of a long instead of wrapping around. */
    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // overflow only when both operands have the same sign and the sum's differs
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /**
     * Trains the open count window. {@code m} is the key's model if the caller has it, else null. The caller
     * stores {@code book}.
     */
    private void fireCount(Context ctx, ModelState m, long[] book, Collector<EpochMetrics> out) throws Exception {
        List<Example> examples = new ArrayList<>((int) book[1]);
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (Example ex : countBuffer.get()) {
            examples.add(ex);
            minTime = Math.min(minTime, ex.time());
            maxTime = Math.max(maxTime, ex.time());
        }
        countBuffer.clear();
        book[1] = 0;
        if (book[2] != 0) {
            ctx.timerService().deleteProcessingTimeTimer(book[2]);
            book[2] = 0;
        }
        train(ctx, m, examples, minTime, maxTime, 0, out);
    }

    /**
     * Trains, in ascending order of start, every buffered time window that starts at or before
     * {@code lastStart}, reading the key's buffer once, and sets {@link #firstStartLeft}. Returns the key's
     * model when this loaded it, else {@code m} (the model if the caller had it, else null).
     */
    private ModelState fireWindowsThrough(Context ctx, ModelState m, long[] book, long lastStart,
                                          Collector<EpochMetrics> out) throws Exception {
        TreeMap<Long, List<Map.Entry<Tuple2<Long, Long>, LabelledEvent>>> due = new TreeMap<>();
        long firstLeft = Long.MAX_VALUE;
        for (Map.Entry<Tuple2<Long, Long>, LabelledEvent> en : buffer.entries()) {
            if (en.getKey().f0 <= lastStart) {
                due.computeIfAbsent(en.getKey().f0, start -> new ArrayList<>()).add(Map.entry(en.getKey(), en.getValue()));
            } else {
                firstLeft = Math.min(firstLeft, en.getKey().f0);
            }
        }
        firstStartLeft = firstLeft;
        long size = window.size().toMillis();
        for (Map.Entry<Long, List<Map.Entry<Tuple2<Long, Long>, LabelledEvent>>> w : due.entrySet()) {
            m = fireWindow(ctx, m, book, w.getKey(), w.getKey() + size, w.getValue(), out);
        }
        return m;
    }

    /** Trains the time window of {@code entries} (its buffered events) and removes them from the buffer. */
    private ModelState fireWindow(Context ctx, ModelState m, long[] book, long start, long end,
                                  List<Map.Entry<Tuple2<Long, Long>, LabelledEvent>> entries,
                                  Collector<EpochMetrics> out) throws Exception {
        if (window.kind() == WindowSpec.Kind.EVENT_TIME) {
            entries.sort(Comparator.comparingLong((Map.Entry<Tuple2<Long, Long>, LabelledEvent> en) -> en.getValue().getTime().toEpochMilli())
                    .thenComparing(en -> en.getValue().getId())
                    // equal time and id (a duplicate): arrival order, which both state backends keep in the key
                    .thenComparingLong(en -> en.getKey().f1));
        } else {
            // processing time: arrival order (the sequence numbers)
            entries.sort(Comparator.comparingLong(en -> en.getKey().f1));
        }
        List<Example> examples = new ArrayList<>(entries.size());
        for (Map.Entry<Tuple2<Long, Long>, LabelledEvent> en : entries) {
            examples.add(Events.toExample(en.getValue()));
            buffer.remove(en.getKey());
        }
        book[1] -= entries.size();
        return examples.isEmpty() ? m : train(ctx, m, examples, start, end, book[1], out);
    }

    /** Trains one window on the key's model ({@code m}, or read or created when null) and returns the model. */
    private ModelState train(Context ctx, ModelState m, List<Example> examples, long start, long end, long pending,
                             Collector<EpochMetrics> out) throws Exception {
        long t0 = System.nanoTime();
        m = loaded(m, ctx.getCurrentKey());
        long trainedBefore = m.trained();
        long heldOutBefore = m.heldOut();
        long refusedBefore = m.refusedUpdates();
        // every buffered event passed trainer.refusal on arrival (processElement), under the same architecture
        EpochResult r = trainer.trainScreenedEpoch(m, examples, start, end, pending);
        model.update(m);
        long now = ctx.timerService().currentProcessingTime();
        Long lag = m.trainedThrough() == ModelState.NO_TIME ? null : now - m.trainedThrough();
        out.collect(EpochRecords.metrics(r, now, lag));
        if (r.published()) {
            ctx.output(SNAPSHOTS, SnapshotMessage.of(ModelSnapshots.of(training,
                    trainer.image(m, training.snapshotOptimizerState()), now)));
        }
        epochs.inc(m.key(), 1);
        trained.inc(m.key(), m.trained() - trainedBefore);
        heldOut.inc(m.key(), m.heldOut() - heldOutBefore);
        refusedUpdates.inc(m.key(), m.refusedUpdates() - refusedBefore);
        currentLoss = r.trainingLoss();
        servingVersion = m.version();
        freshnessLag = lag == null ? 0 : lag;
        epochMillis = (System.nanoTime() - t0) / 1_000_000;
        return m;
    }

    private ModelState createModel(String key) {
        ModelSnapshot s = warmStart.lookup(key);
        if (s == null) {
            return trainer.newModel(key);
        }
        try {
            return trainer.restore(renamed(ModelSnapshots.image(s), key));
        } catch (IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(EpochFunction.class).warn(
                    "key {}: the warm-start snapshot does not fit this configuration ({}); starting fresh", key, e.getMessage());
            return trainer.newModel(key);
        }
    }

    private static ModelImage renamed(ModelImage i, String key) {
        return new ModelImage(key, i.version(), i.trainedThrough(), i.parameters(), i.optimizer(), i.standardizer(),
                i.seen(), i.trained(), i.heldOut(), i.late(), i.refused(), i.refusedUpdates(), i.epochs());
    }

    /**
     * {@code m} when the caller already has the key's model, else the model read from state, else a new one
     * (warm-started when configured), which the caller stores.
     */
    private ModelState loaded(ModelState m, String key) throws Exception {
        if (m != null) {
            return m;
        }
        ModelState stored = model.value();
        return stored != null ? stored : createModel(key);
    }

    private static long[] newBook() {
        long[] b = new long[BOOK_LENGTH];
        b[LAYOUT] = LAYOUT_COUNT_LIST;
        return b;
    }

    /**
     * The bookkeeping of a key restored from the layout before {@code count-buffer} (see the class
     * javadoc), after moving its open count window from {@code window-buffer} to {@code count-buffer} in
     * arrival (sequence number) order, converted as the old code converted them when the window closed.
     * The caller stores the returned bookkeeping.
     */
    private long[] migrated(long[] old) throws Exception {
        if (window.kind() == WindowSpec.Kind.COUNT && old[1] > 0) {
            List<Map.Entry<Tuple2<Long, Long>, LabelledEvent>> entries = new ArrayList<>();
            for (Map.Entry<Tuple2<Long, Long>, LabelledEvent> en : buffer.entries()) {
                entries.add(Map.entry(en.getKey(), en.getValue()));
            }
            entries.sort(Comparator.comparing(en -> en.getKey().f1));
            List<Example> examples = new ArrayList<>(entries.size());
            for (Map.Entry<Tuple2<Long, Long>, LabelledEvent> en : entries) {
                examples.add(Events.toExample(en.getValue()));
            }
            countBuffer.addAll(examples);
            buffer.clear();
        }
        long[] b = Arrays.copyOf(old, BOOK_LENGTH);
        b[LAYOUT] = LAYOUT_COUNT_LIST;
        return b;
    }

    /**
     * Registers the expiry check for an event seen at {@code now}. The time is rounded up to an eighth of
     * the TTL (at least 10 ms, at most a minute): Flink keeps one timer per key and timestamp, so a busy
     * key holds at most about nine expiry timers instead of one per event, and expires at most one
     * granule late. An early check finds the key still in use and a later timer is already registered.
     */
    private void scheduleExpiry(Context ctx, long now) {
        if (expires()) {
            ctx.timerService().registerProcessingTimeTimer(expiryTimer(now));
        }
    }

    /** The expiry timer of a key idle from {@code idleSince}: a TTL later, rounded up as {@link #scheduleExpiry} says. */
    long expiryTimer(long idleSince) {
        long ttl = config.stateTtl().toMillis();
        long granule = Math.min(60_000L, Math.max(10L, ttl / 8));
        long due = idleSince + ttl;
        return Math.floorDiv(due + granule - 1, granule) * granule;
    }

    /**
     * Records when this instance (re)started: {@link EpochOperator} calls it as it opens; otherwise (a bare
     * KeyedProcessOperator) the first element or timer does.
     */
    void noteStart(long now) {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
    }

    /**
     * Retires an idle key: its state is cleared and the snapshot topic gets a tombstone. A key is idle from its
     * last event, or from this instance's (re)start if that is later: a restore fires every expiry timer that
     * fell due while the job was stopped, before the source has read the keys' backlog, and without this every
     * key would be retired after a stop longer than state.ttl. A key not yet idle long enough gets its timer again
     * (the one firing may have been armed under a shorter state.ttl, or before the restart).
     */
    private boolean expire(OnTimerContext ctx, ModelState m, long[] book, Collector<EpochMetrics> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        noteStart(now);
        long idleSince = Math.max(book[3], startedAt);
        if (now - idleSince < config.stateTtl().toMillis()) {
            scheduleExpiry(ctx, idleSince); // the same timer as the last event armed, unless the start is later
            return false;
        }
        String key = ctx.getCurrentKey();
        // train what is buffered first, so that no labelled event is silently dropped
        if (window.kind() == WindowSpec.Kind.COUNT) {
            if (book[1] > 0) {
                fireCount(ctx, m, book, out);
            }
        } else {
            fireWindowsThrough(ctx, m, book, Long.MAX_VALUE, out);
        }
        model.clear();
        if (window.kind() == WindowSpec.Kind.COUNT) {
            countBuffer.clear(); // the key's bookkeeping was migrated when this timer read it: window-buffer is empty
        } else {
            buffer.clear();
        }
        bookkeeping.clear();
        ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
        keyCount = Math.max(0, keyCount - 1);
        int group = keyGroup(key);
        keysPerKeyGroup[group] = Math.max(0, keysPerKeyGroup[group] - 1);
        warmStart.forget(key);
        ctx.output(SNAPSHOTS, SnapshotMessage.tombstone(key));
        return true;
    }

    /** The key group of {@code key}, as Flink assigns it (the keyBy key is the model key). */
    private int keyGroup(String key) {
        return KeyGroupRangeAssignment.assignToKeyGroup(key, keysPerKeyGroup.length);
    }

    private void deadLetter(Context ctx, LabelledEvent event, String reason, String message) {
        deadLettered.inc(event.getKey(), 1);
        ctx.output(DEAD_LETTERS, deadLetters.of(event, reason, message, ctx.timerService().currentProcessingTime()));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        keyCountState.update(List.of(keyCount));
        List<Long> perGroup = new ArrayList<>();
        for (int g = 0; keysPerKeyGroupExact && g < keysPerKeyGroup.length; g++) {
            if (keysPerKeyGroup[g] > 0) {
                perGroup.add((long) g << KEY_GROUP_SHIFT | keysPerKeyGroup[g]);
            }
        }
        keysPerKeyGroupState.update(perGroup);
        fingerprintState.update(List.of(config.training().architectureFingerprint()));
        windowState.update(List.of(bufferLayout()));
        List<String> horizon = new ArrayList<>();
        if (warmStartHorizon != null) {
            warmStartHorizon.forEach((partition, offset) -> horizon.add(partition + ":" + offset));
        }
        warmStartHorizonState.update(horizon);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        keyCountState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("key-count", Types.LONG));
        fingerprintState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("architecture", Types.LONG));
        windowState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("window", Types.STRING));
        keysPerKeyGroupState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("keys-per-key-group", Types.LONG));
        warmStartHorizonState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("warm-start-horizon", Types.STRING));
        warmStartHorizon = restoredHorizon(warmStartHorizonState.get());
        var task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        keysPerKeyGroup = new long[maxParallelism];
        var served = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism,
                task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        keyCount = 0;
        boolean perGroupRestored = false;
        for (Long entry : keysPerKeyGroupState.get()) {
            perGroupRestored = true;
            int group = (int) (entry >>> KEY_GROUP_SHIFT);
            if (served.contains(group)) {
                keysPerKeyGroup[group] += entry & ((1L << KEY_GROUP_SHIFT) - 1);
                keyCount += entry & ((1L << KEY_GROUP_SHIFT) - 1);
            }
        }
        if (!perGroupRestored) {
            // state of an older build (or a fresh start): the per-subtask counts, right at an unchanged parallelism
            for (Long c : keyCountState.get()) {
                keyCount += c;
            }
        }
        keysPerKeyGroupExact = perGroupRestored || keyCount == 0;
        long mine = config.training().architectureFingerprint();
        Iterator<Long> it = fingerprintState.get().iterator();
        if (context.isRestored() && it.hasNext()) {
            long restored = it.next();
            if (restored != mine) {
                throw new IllegalStateException("the restored state was trained with another architecture (fingerprint "
                        + Long.toHexString(restored) + ", this configuration " + Long.toHexString(mine) + ": "
                        + config.training().architectureDescription() + "). model.layers, model.activations, "
                        + "model.leaky-slope, model.loss and features.* cannot change on restore: restore the old values, "
                        + "or start the job without the savepoint");
            }
        }
        Iterator<String> layouts = windowState.get().iterator();
        if (context.isRestored() && layouts.hasNext()) {
            String restored = layouts.next();
            if (!restored.equals(bufferLayout())) {
                throw new IllegalStateException("epoch.window: the restored state buffers events for " + restored
                        + " windows, this configuration cuts " + bufferLayout() + " windows. Buffered events would"
                        + " never be trained: restore with the old epoch.window (a count window's N may change), or"
                        + " start the job without the savepoint");
            }
        }
    }

    /**
     * The snapshot-topic offsets the job's first warm start read up to, from every subtask's "partition:offset"
     * entries (each subtask read the end offsets itself, moments apart: the earliest per partition is what all of
     * them saw); null when none were kept (a fresh start, a build before this state, or a warm start turned on
     * at this restore), so that the warm start reads to the topic's end and keeps that.
     */
    private static Map<Integer, Long> restoredHorizon(Iterable<String> entries) {
        Map<Integer, Long> horizon = new HashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            horizon.merge(Integer.parseInt(entry.substring(0, colon)), Long.parseLong(entry.substring(colon + 1)),
                    Math::min);
        }
        return horizon.isEmpty() ? null : horizon;
    }

    /**
     * What the buffered events' layout depends on: the window kind (count windows keep a list, time windows a
     * map keyed by window start) and a time window's size (the starts). A count window's N is free to change.
     */
    private String bufferLayout() {
        WindowSpec w = config.training().window(); // initializeState runs before open()
        return switch (w.kind()) {
            case COUNT -> "count";
            case EVENT_TIME -> "event-time:" + w.size().toMillis() + "ms";
            case PROCESSING_TIME -> "processing-time:" + w.size().toMillis() + "ms";
        };
    }
}
