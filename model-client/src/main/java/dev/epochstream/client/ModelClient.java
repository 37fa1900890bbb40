package dev.epochstream.client;

import dev.epochstream.client.security.KafkaCredentials;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves the models an epochstream job publishes, and swaps in each new version as it arrives.
 *
 * <h2>Loading</h2>
 * {@link #start()} reads the compacted snapshot topic from the beginning with
 * {@code isolation.level=read_committed}, loading the newest valid version of each followed key, and
 * returns once it reached the topic's end offsets (taken at start). A named daemon thread then follows
 * new snapshots. The job's exactly-once snapshot sink writes snapshots in Kafka transactions committed
 * at Flink checkpoints, so a new version becomes visible here when the checkpoint that produced it
 * completes, never earlier, and never at all if the checkpoint fails. Snapshots may also be loaded from
 * files ({@link #fromFiles}, {@link #loadFile}): a file holds the same bytes as a topic record's value.
 *
 * <h2>Validation</h2>
 * Every snapshot is validated before it serves: it decodes with a known schema, its checksum matches,
 * its shapes agree with its declared layers, its activations and loss are known, its parameters are
 * finite, it belongs to the record's key, and its version is strictly newer than the newest version
 * accepted for the key. A valid snapshot is swapped in atomically for its key; any other is rejected
 * with a logged reason ({@link RejectReason}), counted and passed to the listeners, and the previous
 * model keeps serving. A tombstone (null value) retires its key.
 *
 * <h2>Serving</h2>
 * {@code predict} applies the snapshot's own preprocessing (standardisation, attribute hashing) and runs
 * the learner's forward pass, so the result is bit-identical to what the learner computes with the same
 * parameters; the returned {@link ModelPrediction} names the version that produced it. It is
 * thread-safe and takes no lock: a reader gets the key's immutable model with one lock-free map read,
 * and borrows scratch space from a lock-free pool. It never answers wrongly, it throws instead:
 * <ul>
 *   <li>{@link NoModelException}: the key is not followed, has no valid model (yet), or was retired;</li>
 *   <li>{@link InvalidInputException}: the features have the wrong dimension, are malformed, non-finite
 *       or absurdly large.</li>
 * </ul>
 * Attributes are hashed only when the model was trained with {@code features.hash-bits}; otherwise they
 * are ignored, as the learner ignores them. Feature arrays are not copied: do not modify them during
 * the call.
 *
 * <h2>Operations</h2>
 * The last few valid versions of each key are kept ({@link ModelClientBuilder#historySize}, 5 by
 * default). {@link #pin} serves a held version until {@link #unpin}, whatever arrives meanwhile (new
 * versions are still validated and accepted, and serve after the unpin); {@link #rollback} pins the
 * newest held version older than the serving one. Gauges: {@link #servingVersion}, {@link #reloadLagMillis},
 * {@link #rejectedCount}, and {@link #metrics()} for all at once.
 *
 * <p>{@link #close()} stops the thread and closes the consumer; nothing keeps running afterwards.
 */
public final class ModelClient implements AutoCloseable {

    private final ModelClientConfig config;
    private final ModelRegistry registry;
    private final SnapshotFollower follower;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelClient(ModelClientConfig config, Clock clock, List<ModelClientListener> listeners) {
        this.config = config;
        this.registry = new ModelRegistry(config == null ? Set.of() : config.keys(),
                config == null ? ModelClientBuilder.DEFAULT_HISTORY_SIZE : config.historySize(), clock);
        for (ModelClientListener l : listeners) {
            registry.addListener(l);
        }
        this.follower = config == null ? null : new SnapshotFollower(config, registry);
    }

    /** Settings for a client following a snapshot topic. */
    public static ModelClientBuilder builder() {
        return new ModelClientBuilder();
    }

    /**
     * A client serving snapshot files, without Kafka: each file is loaded in order, as by
     * {@link #loadFile}. More files can be loaded later.
     *
     * @throws SnapshotRejectedException naming the first file that is not a valid, newer snapshot
     */
    public static ModelClient fromFiles(Path... files) throws IOException {
        ModelClient client = new ModelClient(null, Clock.systemUTC(), List.of());
        for (Path f : files) {
            client.loadFile(f);
        }
        return client;
    }

    /**
     * Starts following the topic and waits, up to the bootstrap timeout, until it was read to its end
     * offsets. Returns this client.
     *
     * @throws BootstrapException when the timeout passed first (the client keeps following: close it or
     *     {@link #awaitBootstrap} again) or the polling thread failed (e.g. missing topic)
     * @throws AuthenticationFailedException (a BootstrapException) when the broker refused the SASL login:
     *     the message names the bootstrap servers and the mechanism
     * @throws IllegalStateException when called twice, after close, or on a file-only client
     */
    public ModelClient start() {
        if (follower == null) {
            throw new IllegalStateException("a file-only client has no topic to follow");
        }
        if (closed.get()) {
            throw new IllegalStateException("the client is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the client is already started");
        }
        follower.start();
        boolean done;
        try {
            done = follower.awaitBootstrap(config.bootstrapTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootstrapException("interrupted while bootstrapping from '" + config.topic() + "'", e);
        }
        if (!done) {
            follower.startGaveUp();
            Throwable failure = follower.failure();
            if (KafkaCredentials.authenticationFailure(failure) != null) {
                throw new AuthenticationFailedException(KafkaCredentials.authenticationFailedMessage(
                        config.bootstrapServers(), config.clientProperties().get("sasl.mechanism"), "sasl.jaas.config"),
                        failure);
            }
            throw new BootstrapException(failure != null
                    ? "reading snapshot topic '" + config.topic() + "' failed: " + failure.getMessage()
                    : "snapshot topic '" + config.topic() + "' was not read to its end offsets within "
                            + config.bootstrapTimeout(), failure);
        }
        return this;
    }

    /**
     * Waits until the initial read of the topic is complete.
     *
     * @return true once it is; false when {@code timeout} passed, the client is closed, or the polling
     *     thread failed first (see {@link ModelClientMetrics#failure()})
     */
    public boolean awaitBootstrap(Duration timeout) throws InterruptedException {
        return follower == null || follower.awaitBootstrap(timeout);
    }

    /** True once the initial read of the topic is complete; always true for a file-only client. */
    public boolean isBootstrapped() {
        return follower == null || follower.isBootstrapped();
    }

    /** Registers a listener; see {@link ModelClientBuilder#listener} to see the bootstrap too. */
    public void addListener(ModelClientListener listener) {
        registry.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Predicts dense features with the model of {@code key}. See the class comment for the errors. */
    public ModelPrediction predict(String key, double[] features) {
        return predict(key, features, null);
    }

    /** Predicts dense features plus string attributes (hashed when the model hashes attributes). */
    public ModelPrediction predict(String key, double[] features, Map<String, String> attributes) {
        Objects.requireNonNull(features, "features");
        return model(key).predict(new Example(null, key, 0L, features, null, null, 1.0, attributes));
    }

    /** Predicts sparse features with the model of {@code key}. */
    public ModelPrediction predict(String key, SparseVector features) {
        return predict(key, features, null);
    }

    /** Predicts sparse features plus string attributes. */
    public ModelPrediction predict(String key, SparseVector features, Map<String, String> attributes) {
        Objects.requireNonNull(features, "features");
        return model(key).predict(new Example(null, key, 0L, null, features, null, 1.0, attributes));
    }

    /** Predicts an event (its features and attributes; its label, id and key are ignored). */
    public ModelPrediction predict(String key, Example example) {
        Objects.requireNonNull(example, "example");
        return model(key).predict(example);
    }

    /**
     * Loads one snapshot file (the bytes of a topic record value), with the same validation as a topic
     * record; returns the reload.
     *
     * @throws SnapshotRejectedException when it is rejected (also counted and passed to the listeners)
     * @throws NoModelException when the client does not follow the snapshot's key
     */
    public ReloadEvent loadFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String source = file.toString();
        // The validator reuses a decoder: one per call keeps loadFile safe from any thread.
        SnapshotValidator.Outcome outcome = new SnapshotValidator().validate(null, bytes, source);
        if (outcome.model() != null && !registry.follows(outcome.model().key())) {
            throw new NoModelException(outcome.model().key(), NoModelException.Reason.NOT_FOLLOWED,
                    file + " holds model '" + outcome.model().key() + "', which this client does not follow");
        }
        // a file has no record timestamp: it is not ordered against tombstones (the operator's choice)
        ModelRegistry.Result result = registry.offer(outcome, ModelRegistry.NO_TIMESTAMP, source);
        if (result.rejection() != null) {
            throw new SnapshotRejectedException(result.rejection());
        }
        return result.reload();
    }

    /**
     * Serves {@code version} of {@code key} until {@link #unpin}, whatever new versions arrive.
     *
     * @throws VersionNotAvailableException when the client does not hold that version (see
     *     {@link ModelClientMetrics.KeyMetrics#versions()})
     */
    public void pin(String key, long version) {
        registry.pin(key, version, this::noModel);
    }

    /** Releases a pin (or rollback): the key serves its newest version again, which is returned. */
    public long unpin(String key) {
        return registry.unpin(key, this::noModel);
    }

    /**
     * Serves the newest held version older than the serving one, pinned until {@link #unpin}; returns it.
     *
     * @throws VersionNotAvailableException when no older version is held
     */
    public long rollback(String key) {
        return registry.rollback(key, this::noModel);
    }

    /** The version serving {@code key}, if any. */
    public OptionalLong servingVersion(String key) {
        ServingModel m = registry.serving(key);
        return m == null ? OptionalLong.empty() : OptionalLong.of(m.version());
    }

    /** Now minus the creation time of the snapshot serving {@code key}, if any. */
    public OptionalLong reloadLagMillis(String key) {
        ServingModel m = registry.serving(key);
        return m == null ? OptionalLong.empty() : OptionalLong.of(registry.clock().millis() - m.createdAtMillis());
    }

    /** Snapshots rejected since start. */
    public long rejectedCount() {
        return registry.rejectedCount();
    }

    /** Snapshots accepted since start. */
    public long reloadCount() {
        return registry.reloads();
    }

    /** The keys that have a model. */
    public Set<String> keys() {
        return registry.keys();
    }

    /** All gauges and counters at once. */
    public ModelClientMetrics metrics() {
        Throwable failure = follower == null ? null : follower.failure();
        return new ModelClientMetrics(isBootstrapped(), registry.reloads(), registry.rejectedCount(),
                registry.rejectedByReason(), registry.retirements(), failure == null ? null : failure.toString(),
                registry.keyMetrics());
    }

    /** The validated settings; null for a file-only client. */
    ModelClientConfig config() {
        return config;
    }

    /** Stops following the topic: the polling thread ends and the consumer is closed. Idempotent. */
    @Override
    public void close() {
        // Not synchronized with start(): close() must not wait for a bootstrap in progress.
        if (closed.compareAndSet(false, true) && follower != null) {
            follower.close();
        }
    }

    private ServingModel model(String key) {
        Objects.requireNonNull(key, "key");
        ServingModel m = registry.serving(key);
        if (m == null) {
            throw noModel(key);
        }
        return m;
    }

    private NoModelException noModel(String key) {
        if (!registry.follows(key)) {
            return new NoModelException(key, NoModelException.Reason.NOT_FOLLOWED,
                    "model '" + key + "' is not followed by this client (it follows " + config.keys() + ")");
        }
        if (registry.isRetired(key)) {
            return new NoModelException(key, NoModelException.Reason.RETIRED,
                    "model '" + key + "' was retired (a tombstone on the snapshot topic)");
        }
        return new NoModelException(key, NoModelException.Reason.NOT_LOADED, "no valid snapshot of model '" + key
                + "' loaded" + (isBootstrapped() ? "" : " yet (the initial read of the topic is not complete)"));
    }
}
