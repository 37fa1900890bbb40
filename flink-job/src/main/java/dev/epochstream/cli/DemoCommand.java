package dev.epochstream.cli;

import dev.epochstream.client.ModelClient;
import dev.epochstream.client.ModelPrediction;
import dev.epochstream.data.EventGenerator;
import dev.epochstream.data.Generators;
import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.MetricValues;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One command from a fresh clone to a model visibly learning: an embedded Kafka broker, the topics, a
 * built-in generator streaming into the events topic, the job on a local MiniCluster, one line per
 * completed epoch, charts every few seconds, and predictions served by a model client from the newest
 * snapshots.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run epochstream end to end on an embedded Kafka broker and a local Flink MiniCluster.",
        footer = {"", "Examples:", "  epochstream demo", "  epochstream demo --duration 5m --keys 4 --generator sea --rate 500"})
final class DemoCommand implements Runnable {

    @Option(names = "--duration", defaultValue = "90s", paramLabel = "D",
            description = "How long to run (e.g. 90s, 5m; 0 = until Ctrl-C). Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--keys", defaultValue = "3", paramLabel = "K", description = "Model keys, each with its own concept. Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(names = "--rate", defaultValue = "300", paramLabel = "R", description = "Events per second over all keys. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--generator", defaultValue = "hyperplane", paramLabel = "NAME",
            description = "hyperplane, sea, rbf or friedman. Default: ${DEFAULT-VALUE}.")
    String generator;

    @Option(names = "--window", defaultValue = "100", paramLabel = "N", description = "Events per epoch (count window). Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--chart-every", defaultValue = "10s", paramLabel = "D", description = "How often to print the charts. Default: ${DEFAULT-VALUE}.")
    String chartEvery;

    private final PrintStream out = System.out;

    @Override
    public void run() {
        Duration runFor = parseDuration("--duration", duration);
        Duration charts = parseDuration("--chart-every", chartEvery);
        if (keys < 1 || keys > 1000) {
            throw new Main.UsageException("--keys must be in [1, 1000], got " + keys);
        }
        if (rate < 1) {
            throw new Main.UsageException("--rate must be at least 1 event per second, got " + rate);
        }
        if (window < 1) {
            throw new Main.UsageException("--window must be at least 1, got " + window);
        }
        EventGenerator gen;
        try {
            gen = Generators.create(generator, keys, seed);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        long t0 = System.nanoTime();
        Path home;
        try {
            home = Files.createTempDirectory("epochstream-demo-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "epochstream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf("epochstream demo: generator %s, %d keys, %d events/s, count:%d epochs%n", gen.name(), keys, rate, window);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(home).start()) {
            Map<String, String> conf = new LinkedHashMap<>(gen.suggestedConfig());
            conf.putIfAbsent("optimizer", "adam");
            conf.putIfAbsent("optimizer.lr", "0.01");
            conf.put("epoch.window", "count:" + window);
            conf.putIfAbsent("train.batch-size", "16");
            conf.put("snapshot.publish", "every");
            conf.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            conf.put("kafka.group.id", "epochstream-demo");
            conf.put("checkpoint.interval", "1s");
            conf.put("flink.execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
            conf.put("events.idle-timeout", "5s");
            // the demo's own broker needs no login, whatever the environment says
            JobConfig cfg = JobConfig.from(RawConfig.of(conf), Map.of());
            kafka.createTopics(TopicSpec.of(cfg.eventsTopic(), 2), TopicSpec.of(cfg.metricsTopic(), 1),
                    TopicSpec.of(cfg.snapshotsTopic(), 1).compacted().withConfig("max.message.bytes", "8388608"),
                    TopicSpec.of(cfg.predictionsTopic(), 1), TopicSpec.of(cfg.deadLettersTopic(), 1));
            out.printf("broker   %s (data in %s)%n", kafka.bootstrapServers(), home);
            out.printf("topics   %s → %s, %s, %s, %s%n", cfg.eventsTopic(), cfg.metricsTopic(), cfg.snapshotsTopic(),
                    cfg.predictionsTopic(), cfg.deadLettersTopic());
            out.printf("model    layers=%s activations=%s loss=%s optimizer=%s lr=%s%n", conf.get("model.layers"),
                    conf.get("model.activations"), conf.get("model.loss"), conf.get("optimizer"), conf.get("optimizer.lr"));

            Thread producer = startProducer(kafka.clientProperties(), cfg.eventsTopic(), gen, stop);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(EpochstreamJob.flinkConfiguration(cfg));
            EpochstreamJob.build(env, cfg, false);
            JobClient job = env.executeAsync("epochstream demo");
            out.printf("job      %s on a local MiniCluster (checkpoints in %s)%n%n", job.getJobID(), home.resolve("checkpoints"));

            Properties clientProps = kafka.clientProperties();
            clientProps.remove("bootstrap.servers");
            try (ModelClient client = ModelClient.builder().bootstrapServers(kafka.bootstrapServers())
                    .topic(cfg.snapshotsTopic()).properties(clientProps).build().start()) {
                follow(kafka.clientProperties(), cfg, client, Generators.create(generator, keys, seed + 1), stop, t0, runFor, charts);
            }
            stop.set(true);
            job.cancel().get(30, TimeUnit.SECONDS);
            producer.join(5000);
            out.printf("%nepochstream demo: stopped after %.0f s. Broker %s, topics %s…, checkpoints in %s (removed on exit).%n",
                    (System.nanoTime() - t0) / 1e9, kafka.bootstrapServers(), cfg.eventsTopic(), home.resolve("checkpoints"));
        } catch (Main.UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(RunCommand.rootMessage(e), e);
        } finally {
            deleteQuietly(home);
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private Thread startProducer(Properties client, String topic, EventGenerator gen, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty("linger.ms", "5");
            AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
            long start = System.nanoTime();
            long sent = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                while (!stop.get()) {
                    long due = start + (long) (sent * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 50_000_000L)); // pacing the generator, not a test wait
                        continue;
                    }
                    LabelledEvent e = gen.next();
                    // live events: event time is now, so freshness lag reads as real latency
                    e.setTime(java.time.Instant.now());
                    producer.send(new ProducerRecord<>(topic, e.getKey().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
                    sent++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "epochstream-demo-producer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Prints epochs as they are committed, charts and served predictions, until the deadline or Ctrl-C. */
    private void follow(Properties client, JobConfig cfg, ModelClient models, EventGenerator probe, AtomicBoolean stop,
                        long t0, Duration runFor, Duration charts) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("group.id", "epochstream-demo-view");
        p.setProperty("auto.offset.reset", "earliest");
        AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        MetricsBoard board = new MetricsBoard(null, TerminalChart.defaultRamp());
        long nextChart = System.nanoTime() + charts.toNanos();
        long deadline = runFor.isZero() ? Long.MAX_VALUE : t0 + runFor.toNanos();
        boolean first = true;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(cfg.metricsTopic()));
            while (!stop.get() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    DecodeResult<EpochMetrics> d = codec.decode(r.value());
                    if (!d.isOk()) {
                        continue;
                    }
                    EpochMetrics m = d.value();
                    board.add(m);
                    if (first) {
                        out.printf("first epoch after %.1f s%n", (System.nanoTime() - t0) / 1e9);
                        out.println(header());
                        first = false;
                    }
                    out.println(line(m));
                }
                if (System.nanoTime() >= nextChart && board.records() > 0) {
                    out.println();
                    out.print(board.render());
                    servePredictions(models, probe);
                    out.println(header());
                    nextChart = System.nanoTime() + charts.toNanos();
                }
            }
        }
        // the final picture, whatever the chart interval
        if (board.records() > 0) {
            out.println();
            out.print(board.render());
            servePredictions(models, probe);
        } else {
            out.println("no epoch completed yet: try a longer --duration or a smaller --window");
        }
    }

    private void servePredictions(ModelClient models, EventGenerator probe) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            LabelledEvent e = probe.next();
            try {
                ModelPrediction pr = models.predict(e.getKey(), Events.toExample(e));
                lines.add(String.format(Locale.ROOT, "  %-10s v%-4d predicted %s, label %s", e.getKey(), pr.version(),
                        shortValue(pr.prediction()), shortValue(e.getLabel())));
            } catch (RuntimeException ex) {
                lines.add(String.format(Locale.ROOT, "  %-10s (no model served yet: %s)", e.getKey(), ex.getMessage()));
            }
        }
        out.println("served by the model client from the newest snapshots:");
        lines.forEach(out::println);
        out.println();
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-10s %6s %8s %-14s %9s %9s %7s %-9s %8s", "key", "epoch", "events",
                "prequential", "loss", "lr", "version", "published", "lag");
    }

    private static String line(EpochMetrics m) {
        MetricValues p = m.getPrequential();
        String quality = "regression".equals(m.getTaskType())
                ? "R² " + fmt(p.getR2()) : "acc " + fmt(p.getAccuracy());
        return String.format(Locale.ROOT, "%-10s %6d %8d %-14s %9s %9s %7d %-9s %8s", m.getKey(), m.getEpoch(),
                m.getSeen(), quality, fmt(p.getLoss()), fmt(m.getLearningRate()), m.getModelVersion(),
                m.getPublished() ? "yes" : "no", m.getFreshnessLagMs() == null ? "-" : m.getFreshnessLagMs() + "ms");
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String shortValue(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static Duration parseDuration(String option, String text) {
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return dev.epochstream.learner.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(option + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // best effort
        }
    }
}
