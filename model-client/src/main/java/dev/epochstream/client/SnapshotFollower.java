package dev.epochstream.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's background thread: one Kafka consumer, assigned every partition of the snapshot topic
 * (no consumer group, nothing committed), reads from the beginning with {@code read_committed} and
 * hands each record to the {@link ModelRegistry}. Every {@code partitionCheckInterval} it lists the topic's
 * partitions again and follows any added since, from their beginning.
 *
 * <p>Bootstrap: the end offsets are taken once at the start; under {@code read_committed} they are the
 * last stable offsets, so the bootstrap covers every transaction decided on the partitions by then and
 * waits for none that is still open. (A producer's {@code commitTransaction()} returns when the
 * coordinator logged the commit; its markers reach the partitions a moment later, so a transaction
 * committed just before {@code start()} may arrive just after the bootstrap, as a live reload.) It is complete when the consumer's position reached them on every partition.
 *
 * <p>Listing the partitions and their end offsets is retried while the broker does not answer (it may be
 * restarting when the service starts): {@code start()} then times out as documented and the client keeps
 * trying, so that {@code awaitBootstrap} succeeds once the broker is back. A refused login ends the thread, and
 * so does a missing topic while {@code start()} waits (a misspelt topic fails it). Once {@code start()} has given
 * up, a broker that answers without the topic is treated as one not ready yet (one provisioned with the service
 * creates its topics a moment after it answers): the follower waits for the topic, with a warning.
 *
 * <p>The consumer is created, used and closed on the polling thread only. {@link #close()} wakes the
 * poll up and joins the thread, so no thread or consumer outlives the client; starting and closing are
 * mutually exclusive, so a close racing a start either prevents the thread or joins it.
 */
final class SnapshotFollower implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);

    /** How long close() waits for the polling thread (which is only closing its consumer by then). */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    /** Longest single wait for the broker's metadata while bootstrapping; the wait is repeated until it answers. */
    private static final Duration METADATA_ATTEMPT = Duration.ofSeconds(5);
    /** Pause between two such waits. */
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private final ModelClientConfig config;
    private final ModelRegistry registry;
    private final SnapshotValidator validator = new SnapshotValidator();
    /** Counted down when the bootstrap completes or the thread ends, whichever comes first. */
    private final CountDownLatch bootstrapOrStop = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean bootstrapped;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Set when start() stopped waiting for the bootstrap: a missing topic is then waited for (class comment). */
    private volatile boolean startGaveUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    SnapshotFollower(ModelClientConfig config, ModelRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.thread = new Thread(this, "epochstream-model-client-" + config.topic());
        thread.setDaemon(true);
    }

    /** Starts the polling thread, unless the follower was closed first. */
    synchronized void start() {
        if (running) {
            thread.start();
        }
    }

    boolean isBootstrapped() {
        return bootstrapped;
    }

    /** Notes that start() timed out waiting for the bootstrap while the thread goes on. */
    void startGaveUp() {
        startGaveUp = true;
    }

    /** Why the thread stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    /** Waits until the bootstrap completed (true) or the thread stopped or time ran out (false). */
    boolean awaitBootstrap(Duration timeout) throws InterruptedException {
        bootstrapOrStop.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return bootstrapped;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config.consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            Map<TopicPartition, Long> ends = assignFromBeginning(c);
            LOG.info("Following snapshot topic '{}' ({} partitions); bootstrap up to end offsets {}", config.topic(),
                    ends.size(), ends);
            long nextCheck = System.nanoTime() + config.partitionCheckInterval().toNanos();
            while (running) {
                if (System.nanoTime() - nextCheck >= 0) {
                    followAddedPartitions(c);
                    nextCheck = System.nanoTime() + config.partitionCheckInterval().toNanos();
                }
                if (!bootstrapped && reached(c, ends)) {
                    bootstrapped = true;
                    bootstrapOrStop.countDown();
                    LOG.info("Bootstrap of '{}' complete: serving {} keys", config.topic(), registry.keys().size());
                }
                ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (running) {
                failure = e;
                LOG.error("The snapshot follower of '{}' was interrupted; models stop reloading", config.topic(), e);
            }
        } catch (Throwable e) { // a checked exception can arrive too (a listener in another JVM language)
            failure = e;
            LOG.error("The snapshot follower of '{}' failed; the models it loaded keep serving but no longer reload",
                    config.topic(), e);
        } finally {
            consumer = null;
            bootstrapOrStop.countDown();
        }
    }

    private Map<TopicPartition, Long> assignFromBeginning(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = untilAnswered(() -> c.partitionsFor(config.topic(), metadataAttempt()),
                "the partitions of");
        boolean warned = false;
        while (infos == null || infos.isEmpty()) {
            String missing = "snapshot topic '" + config.topic() + "' does not exist at " + config.bootstrapServers();
            if (!startGaveUp) {
                throw new IllegalStateException(missing);
            }
            if (!warned) {
                LOG.warn("{}; start() has given up waiting, so the client waits for the topic until it is closed", missing);
                warned = true;
            }
            pause();
            infos = untilAnswered(() -> c.partitionsFor(config.topic(), metadataAttempt()), "the partitions of");
        }
        List<TopicPartition> partitions = new ArrayList<>(infos.size());
        for (PartitionInfo p : infos) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return untilAnswered(() -> c.endOffsets(partitions, metadataAttempt()), "the end offsets of");
    }

    private Duration metadataAttempt() {
        return config.bootstrapTimeout().compareTo(METADATA_ATTEMPT) < 0 ? config.bootstrapTimeout() : METADATA_ATTEMPT;
    }

    /**
     * {@code request} again and again while it fails with a retriable error (a broker not answering in time) and
     * the follower runs; other errors (authentication, authorization) end the thread. Throws a wakeup when
     * closed meanwhile.
     */
    private <T> T untilAnswered(Supplier<T> request, String what) {
        boolean warned = false;
        while (true) {
            try {
                return request.get();
            } catch (RetriableException e) {
                if (!warned && running) {
                    LOG.warn("Could not read {} snapshot topic '{}' at {} yet ({}); retrying until it answers or the"
                            + " client is closed", what, config.topic(), config.bootstrapServers(), e.toString());
                    warned = true;
                }
                pause(); // in case a retriable error comes back at once
            }
        }
    }

    /** Sleeps {@link #RETRY_BACKOFF} before a request is repeated; a close meanwhile ends the thread. */
    private void pause() {
        if (!running) {
            throw new WakeupException();
        }
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptException(interrupted);
        }
    }

    /** Assigns, from their beginning, the topic's partitions that are not assigned yet (added since start). */
    private void followAddedPartitions(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos;
        try {
            infos = c.partitionsFor(config.topic(), config.pollTimeout());
        } catch (WakeupException | InterruptException e) {
            throw e; // close() is stopping the thread
        } catch (KafkaException e) {
            // the broker may be away for a while: the models keep serving, the next check tries again
            LOG.warn("Could not list the partitions of snapshot topic '{}': {}", config.topic(), e.toString());
            return;
        }
        Set<TopicPartition> assigned = c.assignment();
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(assigned);
        all.addAll(added);
        c.assign(all); // keeps the positions of the partitions already assigned
        c.seekToBeginning(added);
        LOG.info("Snapshot topic '{}' has new partitions {}: following them from their beginning", config.topic(), added);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        String source = r.topic() + "-" + r.partition() + "@" + r.offset();
        if (r.key() == null) {
            registry.reject(new Rejection(null, -1, RejectReason.KEY_MISMATCH,
                    "record without a key (snapshots are keyed by model key)", source));
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (!registry.follows(key)) {
            return;
        }
        if (r.value() == null) {
            registry.retire(key, r.timestamp(), source);
            return;
        }
        // the record's timestamp orders it against the key's tombstones, whatever partition they are in
        registry.offer(validator.validate(key, r.value(), source), r.timestamp(), source);
    }

    /** Stops polling, closes the consumer and joins the thread. Idempotent. */
    void close() {
        synchronized (this) { // after this block the thread either never starts or is alive to be joined
            running = false;
        }
        bootstrapOrStop.countDown(); // nothing to wait for any more, whether or not the thread ever ran
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("The snapshot follower of '{}' did not stop within {}", config.topic(), JOIN_TIMEOUT);
            }
        }
    }
}
