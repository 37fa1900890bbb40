package dev.epochstream.client;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the client serves, one immutable {@link KeyState} per key in a {@link ConcurrentHashMap}.
 *
 * <p>Readers ({@link #serving}) do one lock-free {@code get}. Writers (a new snapshot, a tombstone, a pin,
 * a rollback) replace a key's state with {@code compute}, which serialises writers of the same key, so
 * the version check and the swap are one atomic step even when the polling thread and an operator act
 * at once. Listeners run after the swap, outside {@code compute}.
 */
final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final Set<String> followed;
    private final int historySize;
    private final Clock clock;
    private final ConcurrentHashMap<String, KeyState> models = new ConcurrentHashMap<>();
    /** Most retirements remembered (for {@link NoModelException.Reason#RETIRED} and {@link RejectReason#RETIRED}). */
    static final int MAX_RETIRED = 100_000;
    /** The time of a record without one (Kafka's {@code ConsumerRecord.NO_TIMESTAMP}), or of a file: not ordered. */
    static final long NO_TIMESTAMP = -1L;

    /**
     * Retirements, in order of their latest tombstone; the eldest are forgotten beyond {@code maxRetired}. A key stays
     * here after it came back, for its retirement time; see {@link #retire}. A synchronized map: {@link #serving} never
     * reads it, a prediction only for a key without a model (to tell RETIRED from NOT_LOADED).
     */
    private final Map<String, Retirement> retired;
    private final List<ModelClientListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder retirements = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

    /** @param followed the keys to serve, empty for all */
    ModelRegistry(Set<String> followed, int historySize, Clock clock) {
        this(followed, historySize, clock, MAX_RETIRED);
    }

    /** @param maxRetired how many retired keys to remember ({@link #MAX_RETIRED} but in tests) */
    ModelRegistry(Set<String> followed, int historySize, Clock clock, int maxRetired) {
        this.retired = Collections.synchronizedMap(new LinkedHashMap<String, Retirement>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Retirement> eldest) {
                return size() > maxRetired;
            }
        });
        this.followed = Set.copyOf(followed);
        this.historySize = historySize;
        this.clock = clock;
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    void addListener(ModelClientListener listener) {
        listeners.add(listener);
    }

    boolean follows(String key) {
        return followed.isEmpty() || followed.contains(key);
    }

    /** True when a tombstone retired the key while it was served here, and no snapshot brought it back since. */
    boolean isRetired(String key) {
        Retirement r = retired.get(key);
        return r != null && r.served();
    }

    /**
     * One key's retirement.
     *
     * @param atMillis the latest timestamp of a tombstone of the key, or {@link #NO_TIMESTAMP} when none had one
     * @param served true while the key is retired after this client served it (it reads RETIRED, not NOT_LOADED)
     */
    private record Retirement(long atMillis, boolean served) {
    }

    Clock clock() {
        return clock;
    }

    /** The model serving {@code key}, or null. Lock-free. */
    ServingModel serving(String key) {
        KeyState s = models.get(key);
        return s == null ? null : s.serving();
    }

    Set<String> keys() {
        return Set.copyOf(models.keySet());
    }

    /** What became of an offered snapshot: exactly one field is set. */
    record Result(ReloadEvent reload, Rejection rejection) {
    }

    /**
     * Offers a validated candidate, or records the rejection the validator found. A snapshot of a retired key whose
     * {@code timestampMillis} is not later than the retirement's was written before the tombstone (it is read after it
     * only from another partition, once partitions were added): it is rejected, whether or not the key came back.
     *
     * @param timestampMillis the record's timestamp, or {@link #NO_TIMESTAMP} (a file): then not checked against
     *     retirements
     */
    Result offer(SnapshotValidator.Outcome outcome, long timestampMillis, String source) {
        if (outcome.rejection() != null) {
            reject(outcome.rejection());
            return new Result(null, outcome.rejection());
        }
        ServingModel candidate = outcome.model();
        String key = candidate.key();
        // Tombstones and timestamped snapshots both come from the polling thread: no retirement can slip in between.
        long retiredAt = timestampMillis == NO_TIMESTAMP ? NO_TIMESTAMP : retiredAt(key);
        if (retiredAt != NO_TIMESTAMP && timestampMillis <= retiredAt) {
            Rejection r = new Rejection(key, candidate.version(), RejectReason.RETIRED, "written at "
                    + Instant.ofEpochMilli(timestampMillis) + ", not after the tombstone that retired the key at "
                    + Instant.ofEpochMilli(retiredAt) + " (left in the key's former partition when partitions were added?)",
                    source);
            reject(r);
            return new Result(null, r);
        }
        // compute's function cannot return two things: the previous state leaves through this array.
        KeyState[] before = new KeyState[1];
        KeyState after = models.compute(key, (k, old) -> {
            before[0] = old;
            if (old != null && candidate.version() <= old.newest().version()) {
                return old;
            }
            return old == null ? new KeyState(k, List.of(candidate), null) : old.withNewest(candidate, historySize);
        });
        KeyState old = before[0];
        if (after == old) {
            long newest = old.newest().version();
            RejectReason reason = candidate.version() == newest ? RejectReason.DUPLICATE : RejectReason.STALE;
            Rejection r = new Rejection(key, candidate.version(), reason, "version " + candidate.version()
                    + (reason == RejectReason.DUPLICATE ? " is already" : " is older than the newest version")
                    + " accepted (" + newest + ")", source);
            reject(r);
            return new Result(null, r);
        }
        // back in service: no longer reads RETIRED, but a snapshot older than the retirement still is one
        retired.computeIfPresent(key, (k, r) -> r.atMillis() == NO_TIMESTAMP ? null : new Retirement(r.atMillis(), false));
        reloads.increment();
        if (old != null && old.serving() != after.serving()) {
            old.serving().releaseScratch();
        }
        long now = clock.millis();
        ReloadEvent event = new ReloadEvent(key, candidate.version(), old == null ? -1 : old.newest().version(),
                candidate.createdAtMillis(), now - candidate.createdAtMillis(), after.serving() == candidate, source);
        if (event.serving()) {
            LOG.info("Model '{}' now serves version {} (was {}), from {}", key, event.version(),
                    event.previousVersion(), source);
        } else {
            LOG.info("Model '{}' version {} accepted from {}; version {} stays pinned", key, event.version(), source,
                    after.serving().version());
        }
        for (ModelClientListener l : listeners) {
            try {
                l.onReload(event);
            } catch (Throwable e) {
                listenerFailed(e, "A reload listener failed for model '{}'", key);
            }
        }
        return new Result(event, null);
    }

    void reject(Rejection r) {
        rejected.get(r.reason()).increment();
        LOG.warn("Rejected a snapshot of '{}' (version {}) from {} ({}): {}; the previous model keeps serving",
                r.key(), r.version(), r.source(), r.reason().code(), r.message());
        for (ModelClientListener l : listeners) {
            try {
                l.onRejection(r);
            } catch (Throwable e) {
                listenerFailed(e, "A rejection listener failed for model '{}'", r.key());
            }
        }
    }

    /**
     * A tombstone: forgets the key's models, history and pin. Marked retired first, so that a predict between the
     * two steps reports RETIRED, not NOT_LOADED; only a key this client served reads RETIRED. The retirement's time
     * (the latest tombstone's of the key) is remembered whether the key was served or not, so that {@link #offer}
     * refuses the snapshots written before it. At most {@link #MAX_RETIRED} retirements are remembered (the oldest
     * are forgotten first: such keys read NOT_LOADED, and their older snapshots are no longer refused): a topic whose
     * keys come and go (state.ttl) must not grow the map for as long as the service runs.
     *
     * @param timestampMillis the tombstone's record timestamp, or {@link #NO_TIMESTAMP}
     */
    void retire(String key, long timestampMillis, String source) {
        KeyState removed;
        synchronized (retired) { // the map's own lock: the marks below are one step for isRetired and offer
            Retirement before = retired.remove(key); // re-put: the latest retirements are the last forgotten
            long at = before == null ? timestampMillis : Math.max(before.atMillis(), timestampMillis);
            retired.put(key, new Retirement(at, true));
            removed = models.remove(key);
            if (removed == null && (before == null || !before.served())) {
                // not served here: nothing to report as retired, only the time to keep (when there is one)
                if (at == NO_TIMESTAMP) {
                    retired.remove(key);
                } else {
                    retired.put(key, new Retirement(at, false));
                }
            }
        }
        retirements.increment();
        LOG.info("Model '{}' retired by a tombstone at {} written at {} (it served version {})", key, source,
                timestampMillis == NO_TIMESTAMP ? "an unknown time" : Instant.ofEpochMilli(timestampMillis),
                removed == null ? "none" : removed.serving().version());
        for (ModelClientListener l : listeners) {
            try {
                l.onRetired(key);
            } catch (Throwable e) {
                listenerFailed(e, "A retirement listener failed for model '{}'", key);
            }
        }
    }

    /**
     * Logs a listener's failure and goes on, as {@link ModelClientListener} promises, whatever it threw (an Error,
     * or a checked exception from another JVM language), except that the JVM's own failures propagate.
     */
    private static void listenerFailed(Throwable e, String message, String key) {
        if (e instanceof VirtualMachineError vm) {
            throw vm;
        }
        LOG.warn(message, key, e);
    }

    /** Serves {@code version} of {@code key} until {@link #unpin}; new snapshots are still accepted. */
    void pin(String key, long version, NoModelHandler noModel) {
        KeyState after = models.compute(key, (k, old) -> {
            if (old == null) {
                throw noModel.exception(k);
            }
            ServingModel m = old.find(version);
            if (m == null) {
                throw new VersionNotAvailableException(k, "cannot pin version " + version, old.versions());
            }
            return old.withPinned(m);
        });
        LOG.info("Model '{}' pinned to version {}", key, after.serving().version());
    }

    /** Returns to serving the newest version; returns it. */
    long unpin(String key, NoModelHandler noModel) {
        KeyState after = models.compute(key, (k, old) -> {
            if (old == null) {
                throw noModel.exception(k);
            }
            return old.withPinned(null);
        });
        LOG.info("Model '{}' unpinned: serves the newest version {}", key, after.serving().version());
        return after.serving().version();
    }

    /** Pins the newest held version older than the serving one; returns it. */
    long rollback(String key, NoModelHandler noModel) {
        KeyState after = models.compute(key, (k, old) -> {
            if (old == null) {
                throw noModel.exception(k);
            }
            long current = old.serving().version();
            ServingModel previous = old.newestBefore(current);
            if (previous == null) {
                throw new VersionNotAvailableException(k, "no version older than " + current + " to roll back to",
                        old.versions());
            }
            return old.withPinned(previous);
        });
        LOG.info("Model '{}' rolled back to version {} (pinned until unpinned)", key, after.serving().version());
        return after.serving().version();
    }

    /** The time of the key's remembered retirement, or {@link #NO_TIMESTAMP}. */
    private long retiredAt(String key) {
        Retirement r = retired.get(key);
        return r == null ? NO_TIMESTAMP : r.atMillis();
    }

    long reloads() {
        return reloads.sum();
    }

    long retirements() {
        return retirements.sum();
    }

    long rejectedCount() {
        long n = 0;
        for (LongAdder a : rejected.values()) {
            n += a.sum();
        }
        return n;
    }

    Map<RejectReason, Long> rejectedByReason() {
        Map<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
        for (Map.Entry<RejectReason, LongAdder> e : rejected.entrySet()) {
            out.put(e.getKey(), e.getValue().sum());
        }
        return out;
    }

    Map<String, ModelClientMetrics.KeyMetrics> keyMetrics() {
        long now = clock.millis();
        Map<String, ModelClientMetrics.KeyMetrics> out = new TreeMap<>();
        for (Map.Entry<String, KeyState> e : models.entrySet()) {
            KeyState s = e.getValue();
            ServingModel m = s.serving();
            out.put(e.getKey(), new ModelClientMetrics.KeyMetrics(m.version(), s.newest().version(), s.pinned() != null,
                    m.createdAtMillis(), now - m.createdAtMillis(), new ArrayList<>(s.versions())));
        }
        return out;
    }

    /** Builds the typed error for a key without a model (the client knows whether it has bootstrapped). */
    @FunctionalInterface
    interface NoModelHandler {
        NoModelException exception(String key);
    }
}
