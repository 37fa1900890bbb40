package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.benchmarks.pipeline.PipelineRun.Learner;
import dev.epochstream.data.HyperplaneGenerator;
import dev.epochstream.data.RandomRbfGenerator;
import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pipeline benchmark (issue 10): the whole job, bounded, on an embedded broker and a MiniCluster in this
 * JVM, over topics pre-filled with generator events. Run with {@code bin/bench-pipeline [options]}:
 * <ul>
 *   <li>{@code e2e}: [64,32,10] relu/softmax on 64 dense features (the rbf generator with 10 classes), Adam,
 *       the job's defaults otherwise (count:100 windows, batch 32, exactly-once metrics and snapshots),
 *       checkpoints every 10 s, parallelism 2; then, over the same topic, the same pipeline with a keyed
 *       counter in place of the trainer (the ceiling); {@code --e2e-rounds R} repeats the pair R times in the
 *       same JVM (later rounds run JIT-compiled code from their first event); {@code --e2e-legs} chooses
 *       which of the two run and in which order ({@code train,ceiling} by default; {@code train} alone and
 *       {@code ceiling} alone, in two commands, compare the two each in a JVM of its own: the second run of
 *       a JVM inherits code the first one compiled).</li>
 *   <li>{@code keys}: logistic regression [32,1] sigmoid/bce (the hyperplane generator with 32 features),
 *       1, 1,000 and 100,000 keys, hashmap and RocksDB state; count:5 windows of batch 5, so that every
 *       key trains during the run even at 100,000 keys (500,000 events: 5 a key) rather than all at the
 *       end of the input.</li>
 *   <li>{@code freshness}: the unbounded job on live events (2,000/s over 8 keys, the same logistic model),
 *       event-time windows of 2 s, every epoch published, exactly-once then at-least-once snapshots: from
 *       a window's end to a {@link dev.epochstream.client.ModelClient} serving its version.</li>
 * </ul>
 * Throughput is events over the time from the first to the last event reaching the keyed operator.
 */
public final class PipelineBenchmark {
    static final int FRESH_KEYS = 8;
    static final int FRESH_RATE = 2_000;
    static final long FRESH_WINDOW_MS = 2_000;
    static final long FRESH_WARMUP_S = 10;

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "pipeline benchmark: %s, %d cores, java %s, load %.2f%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), HeapSampler.loadAverage());
        Path work = Files.createTempDirectory("epochstream-bench-");
        List<RunResult> results = new ArrayList<>();
        List<FreshnessRun.Lags> lags = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work).start()) {
            PipelineRun runs = new PipelineRun(kafka, work, o.cutAfter);
            if (o.scenario.equals("all") || o.scenario.equals("e2e")) {
                endToEnd(kafka, runs, o, results);
            }
            if (o.scenario.equals("all") || o.scenario.equals("keys")) {
                keys(kafka, runs, o, results);
            }
            if (o.scenario.equals("all") || o.scenario.equals("freshness")) {
                freshness(kafka, runs, o, lags);
            }
        } finally {
            deleteQuietly(work);
        }
        System.out.println();
        for (RunResult r : results) {
            System.out.println(r.line());
        }
        for (FreshnessRun.Lags l : lags) {
            System.out.println(l.line());
        }
    }

    private static void endToEnd(EmbeddedKafka kafka, PipelineRun runs, Options o, List<RunResult> results) throws Exception {
        String topic = "e2e-events";
        kafka.createTopic(TopicSpec.of(topic, o.parallelism));
        RandomRbfGenerator gen = new RandomRbfGenerator("rbf", 42, new RandomRbfGenerator.Config(64, 10, 50, 0.0));
        double s = EventFill.fill(kafka.clientProperties(), topic, gen, o.e2eKeys, o.events);
        System.out.printf(Locale.ROOT, "e2e: filled %,d events of [64 features, 10 classes] over %d keys in %.1f s (%,.0f/s)%n",
                o.events, o.e2eKeys, s, o.events / s);
        Map<String, String> conf = new LinkedHashMap<>(gen.suggestedConfig());
        common(conf, o, "hashmap");
        // Rounds after the first run in a JVM whose JIT has compiled both pipelines: the first round pays
        // for the compilation (C2 took a fifth of the machine through a 45 s run), which a long-running job
        // pays once. Every round is printed; the last one is kept for the summary.
        RunResult train = null;
        RunResult count = null;
        for (int round = 1; round <= o.e2eRounds; round++) {
            String suffix = o.e2eRounds == 1 ? "" : " round " + round;
            for (String leg : o.e2eLegs.split(",")) {
                switch (leg.trim()) {
                    case "train" -> {
                        train = runs.run("e2e train [64,32,10] adam" + suffix, topic, conf, Learner.TRAIN);
                        System.out.println(train.line());
                    }
                    case "ceiling" -> {
                        count = runs.run("e2e ceiling (count only)" + suffix, topic, conf, Learner.COUNT);
                        System.out.println(count.line());
                    }
                    default -> throw new IllegalArgumentException("--e2e-legs takes train and/or ceiling, got '" + leg + "'");
                }
            }
            if (train != null && count != null) {
                System.out.printf(Locale.ROOT, "e2e%s: training / ceiling = %.2f (per CPU second: %.2f)%n", suffix,
                        train.eventsPerSecond() / count.eventsPerSecond(), train.eventsPerCpuSecond() / count.eventsPerCpuSecond());
            }
        }
        if (train != null) {
            results.add(train);
        }
        if (count != null) {
            results.add(count);
        }
    }

    private static void keys(EmbeddedKafka kafka, PipelineRun runs, Options o, List<RunResult> results) throws Exception {
        for (String k : o.keyCounts.split(",")) {
            int keys = Integer.parseInt(k.trim());
            String topic = "keys-" + keys + "-events";
            kafka.createTopic(TopicSpec.of(topic, o.parallelism));
            HyperplaneGenerator gen = new HyperplaneGenerator("hyperplane", 7, new HyperplaneGenerator.Config(32, 2, 0.001, 0.1, 0.05));
            double s = EventFill.fill(kafka.clientProperties(), topic, gen, keys, o.keysEvents);
            System.out.printf(Locale.ROOT, "keys: filled %,d events of 32 features over %,d keys in %.1f s%n", o.keysEvents, keys, s);
            for (String backend : o.backends.split(",")) {
                Map<String, String> conf = new LinkedHashMap<>();
                conf.put("model.layers", "32,1");
                conf.put("model.activations", "sigmoid");
                conf.put("model.loss", "bce");
                conf.put("optimizer", "adam");
                conf.put("optimizer.lr", "0.01");
                conf.put("epoch.window", "count:5");
                conf.put("train.batch-size", "5");
                conf.put("keys.max", "1000000");
                common(conf, o, backend);
                RunResult r = runs.run(String.format(Locale.ROOT, "keys %,d %s", keys, backend), topic, conf, Learner.TRAIN);
                System.out.println(r.line());
                results.add(r);
            }
        }
    }

    private static void freshness(EmbeddedKafka kafka, PipelineRun runs, Options o, List<FreshnessRun.Lags> lags)
            throws Exception {
        FreshnessRun fresh = new FreshnessRun(runs, kafka.clientProperties());
        for (String delivery : new String[] {"exactly-once", "at-least-once"}) {
            String topic = "fresh-" + delivery + "-events";
            kafka.createTopic(TopicSpec.of(topic, o.parallelism));
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("model.layers", "32,1");
            conf.put("model.activations", "sigmoid");
            conf.put("model.loss", "bce");
            conf.put("epoch.window", "event-time:" + FRESH_WINDOW_MS + "ms");
            conf.put("snapshot.publish", "every");
            conf.put("snapshot.delivery", delivery);
            common(conf, o, "hashmap");
            HyperplaneGenerator gen = new HyperplaneGenerator("hyperplane", 9, new HyperplaneGenerator.Config(32, 2, 0.001, 0.1, 0.05));
            FreshnessRun.Lags l = fresh.run("freshness " + delivery, topic, conf, gen, FRESH_KEYS, FRESH_RATE, FRESH_WINDOW_MS,
                    o.freshSeconds, FRESH_WARMUP_S);
            System.out.println(l.line());
            lags.add(l);
        }
    }

    private static void common(Map<String, String> conf, Options o, String backend) {
        conf.put("checkpoint.interval", o.checkpoint);
        conf.put("parallelism", Integer.toString(o.parallelism));
        conf.put("state.backend", backend);
        // --set key=value[,key=value...]: extra job keys for every run (e.g. flink.* settings to compare)
        if (!o.set.isEmpty()) {
            for (String kv : o.set.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set takes key=value[,key=value...], got '" + kv + "'");
                }
                conf.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: left for the OS to clean
        }
    }

    /** Command-line options, each {@code --name value}. */
    private record Options(String scenario, long events, long keysEvents, int e2eKeys, int parallelism, String checkpoint,
                           long cutAfter, long freshSeconds, String keyCounts, String backends, int e2eRounds, String set,
                           String e2eLegs) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>(Map.of("scenario", "all", "events", "2000000",
                    "keys-events", "500000", "e2e-keys", "8", "parallelism", "2", "checkpoint", "10s", "cut-after", "150",
                    "fresh-seconds", "60", "key-counts", "1,1000,100000", "backends", "hashmap,rocksdb"));
            m.put("e2e-rounds", "1");
            m.put("set", "");
            m.put("e2e-legs", "train,ceiling");
            for (int i = 0; i < args.length; i++) {
                String name = args[i].startsWith("--") ? args[i].substring(2) : "";
                if (!m.containsKey(name) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: bench-pipeline [--scenario all|e2e|keys|freshness] [--events N] "
                            + "[--keys-events N] [--e2e-keys K] [--parallelism P] [--checkpoint 10s] [--cut-after SECONDS] [--fresh-seconds S] [--key-counts 1,1000,100000] [--backends hashmap,rocksdb] [--e2e-rounds R] [--e2e-legs train,ceiling] [--set key=value,...]; got '" + args[i] + "'");
                }
                m.put(name, args[++i]);
            }
            return new Options(m.get("scenario"), Long.parseLong(m.get("events")), Long.parseLong(m.get("keys-events")),
                    Integer.parseInt(m.get("e2e-keys")), Integer.parseInt(m.get("parallelism")), m.get("checkpoint"),
                    Long.parseLong(m.get("cut-after")), Long.parseLong(m.get("fresh-seconds")),
                    m.get("key-counts"), m.get("backends"), Integer.parseInt(m.get("e2e-rounds")), m.get("set"),
                    m.get("e2e-legs"));
        }
    }
}
