package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.client.ModelClient;
import dev.epochstream.client.ModelClientListener;
import dev.epochstream.client.ReloadEvent;
import dev.epochstream.data.EventGenerator;
import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Freshness (issue 10, item 3): the unbounded job on live events (event time = now, paced), event-time
 * windows of {@code window} ms, every epoch published, and a {@link ModelClient} following the snapshot
 * topic. For each version the client starts serving: serving time minus the end of the window that
 * produced it. The window end is not in the snapshot; it is {@code floor(createdAt / window) * window}, which
 * holds when a window fires (watermark past its end, then training) within one window length of its end
 * (the {@code fire} column shows it does, by a wide margin, at these rates).
 */
final class FreshnessRun {
    private final PipelineRun runs;
    private final Properties client;

    FreshnessRun(PipelineRun runs, Properties client) {
        this.runs = runs;
        this.client = client;
    }

    /** Lags in milliseconds of the versions served after the warm-up, sorted. */
    record Lags(String label, long[] total, long[] fire, long[] delivery) {
        String line() {
            return String.format(Locale.ROOT, "%-34s %4d versions | window end -> serving p50 %,6d ms p99 %,6d ms max %,6d ms"
                            + " | window end -> snapshot p50 %,d ms p99 %,d ms | snapshot -> serving p50 %,d ms p99 %,d ms",
                    label, total.length, pct(total, 50), pct(total, 99), pct(total, 100), pct(fire, 50), pct(fire, 99),
                    pct(delivery, 50), pct(delivery, 99));
        }

        static long pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return -1;
            }
            // nearest rank
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    Lags run(String label, String eventsTopic, java.util.Map<String, String> settings, EventGenerator generator, int keys,
             int ratePerSecond, long windowMs, long seconds, long warmupSeconds) throws Exception {
        JobConfig config = runs.prepare(eventsTopic, settings);
        Configuration flink = EpochstreamJob.flinkConfiguration(config);
        long[] total = new long[1 << 16];
        long[] fire = new long[total.length];
        long[] delivery = new long[total.length];
        int[] n = {0};
        long measureFrom = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(warmupSeconds);
        ModelClientListener listener = new ModelClientListener() {
            @Override
            public void onReload(ReloadEvent e) {
                long now = System.currentTimeMillis();
                if (now < measureFrom) {
                    return;
                }
                synchronized (n) {
                    if (n[0] < total.length) {
                        long windowEnd = Math.floorDiv(e.createdAtMillis(), windowMs) * windowMs;
                        total[n[0]] = now - windowEnd;
                        fire[n[0]] = e.createdAtMillis() - windowEnd;
                        delivery[n[0]] = e.lagMillis();
                        n[0]++;
                    }
                }
            }
        };
        AtomicBoolean stop = new AtomicBoolean();
        try (MiniCluster mini = new MiniCluster(PipelineRun.cluster(flink, config.parallelism()))) {
            mini.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            EpochstreamJob.build(env, config, false);
            JobID id = mini.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            Properties props = new Properties();
            props.putAll(client);
            props.remove("bootstrap.servers");
            Thread producer = producer(eventsTopic, generator, keys, ratePerSecond, stop);
            try (ModelClient models = ModelClient.builder().bootstrapServers(client.getProperty("bootstrap.servers"))
                    .topic(config.snapshotsTopic()).properties(props).listener(listener).build().start()) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            } finally {
                stop.set(true);
                producer.join(5000);
                mini.cancelJob(id).get();
            }
        }
        synchronized (n) {
            long[] t = Arrays.copyOf(total, n[0]);
            long[] f = Arrays.copyOf(fire, n[0]);
            long[] d = Arrays.copyOf(delivery, n[0]);
            Arrays.sort(t);
            Arrays.sort(f);
            Arrays.sort(d);
            return new Lags(label, t, f, d);
        }
    }

    /** Live events: the generator's, with event time now, {@code rate} a second over {@code keys} keys. */
    private Thread producer(String topic, EventGenerator generator, int keys, int rate, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty("linger.ms", "5");
            AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
            long start = System.nanoTime();
            long sent = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                while (!stop.get()) {
                    long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 20_000_000L)); // pacing, not a wait for a condition
                        continue;
                    }
                    String key = "model-" + (sent % keys);
                    LabelledEvent e = generator.next();
                    e.setKey(key);
                    e.setTime(Instant.now());
                    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(e)));
                    sent++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "freshness-producer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
