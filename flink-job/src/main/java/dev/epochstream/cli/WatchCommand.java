package dev.epochstream.cli;

import dev.epochstream.job.JobKeys;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Follows the metrics topic (EpochMetrics in Avro single-object encoding, read_committed so that only
 * epochs of committed checkpoints show) and renders a table per model key with sparklines of the
 * prequential loss and accuracy. Reads without a consumer group: it commits nothing and disturbs no one.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow the metrics topic: a live table per model key (epoch, version, events, prequential "
                + "accuracy or R², loss, learning rate, published, freshness lag) and charts of loss and accuracy.",
        footer = {"", "Without --from-beginning the last " + WatchCommand.RECENT + " records of each partition are read first, "
                + "so the charts start with some history. EVENTS is the key's events so far (the record's cumulative seen).", "",
                "Examples:",
                "  epochstream watch --bootstrap localhost:9092",
                "  epochstream watch --bootstrap localhost:9092 --topic epochstream.metrics --key model-0 --from-beginning",
                "  epochstream watch --bootstrap localhost:9092 --once    # print the table once and exit"})
final class WatchCommand implements Callable<Integer>, Main.UsesEnvironment {
    /** Records per partition read before the end when not reading from the beginning. */
    static final int RECENT = 200;
    static final Duration REFRESH = Duration.ofSeconds(2);
    /** Longest --once waits to read up to the end offsets it found at the start. */
    static final Duration ONCE_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--bootstrap", required = true, paramLabel = "SERVERS", description = "Kafka bootstrap servers, e.g. localhost:9092.")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The metrics topic (default: the job's topic.metrics default, epochstream.metrics).")
    String topic = JobKeys.TOPIC_METRICS.defaultValue();

    @Option(names = "--key", paramLabel = "KEY", description = "Show only this model key.")
    String key;

    @Option(names = "--from-beginning", description = "Read the whole topic, not only its recent records.")
    boolean fromBeginning;

    @Option(names = "--once", description = "Read up to the current end, print the table once and exit (for scripts and tests).")
    boolean once;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE", description = "A Kafka consumer property, e.g. security.protocol=SASL_SSL; repeatable.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(names = "--consumer-config", paramLabel = "FILE", description = "A properties file of Kafka consumer settings (security, ...).")
    Path consumerConfig;

    private Map<String, String> environment = System.getenv();

    @Override
    public void environment(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        Properties props = KafkaClients.properties(bootstrap, consumerConfig, consumerProperties, environment);
        KafkaClients.checkReachable(props, topic);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        boolean terminal = System.console() != null;
        MetricsBoard board = new MetricsBoard(key, TerminalChart.defaultRamp());
        AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        PrintStream out = System.out;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                for (TopicPartition tp : partitions) {
                    consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - RECENT));
                }
            }
            if (once) {
                readToEnd(consumer, end, board, codec);
                out.print(board.render());
                out.flush();
                return Main.EXIT_OK;
            }
            follow(consumer, board, codec, out, terminal);
        }
        return Main.EXIT_OK;
    }

    private void readToEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end, MetricsBoard board,
                           AvroSingleObjectCodec<EpochMetrics> codec) throws IOException {
        long deadline = System.nanoTime() + ONCE_TIMEOUT.toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("could not read topic '" + topic + "' on " + bootstrap + " to its end within "
                        + ONCE_TIMEOUT.toSeconds() + " s");
            }
            take(consumer.poll(Duration.ofMillis(200)), board, codec);
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void take(Iterable<ConsumerRecord<byte[], byte[]>> records, MetricsBoard board,
                             AvroSingleObjectCodec<EpochMetrics> codec) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DecodeResult<EpochMetrics> d = codec.decode(r.value());
            if (d.isOk()) {
                board.add(d.value());
            } else {
                board.skip();
            }
        }
    }

    /** Redraws every {@link #REFRESH} until Ctrl-C / SIGTERM (a shutdown hook wakes the consumer). */
    private static void follow(KafkaConsumer<byte[], byte[]> consumer, MetricsBoard board,
                               AvroSingleObjectCodec<EpochMetrics> codec, PrintStream out, boolean terminal) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            consumer.wakeup();
            try {
                closed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long nextDraw = System.nanoTime();
            long drawnRecords = -1;
            while (true) {
                take(consumer.poll(Duration.ofMillis(250)), board, codec);
                long now = System.nanoTime();
                if (now - nextDraw >= 0) {
                    nextDraw = now + REFRESH.toNanos();
                    if (terminal) {
                        // Home and clear, then the table: redrawn in place.
                        out.print("\u001b[H\u001b[2J" + board.render());
                        out.flush();
                    } else if (board.records() != drawnRecords) {
                        out.println(board.render());
                        out.flush();
                    }
                    drawnRecords = board.records();
                }
            }
        } catch (WakeupException stopping) {
            // Ctrl-C or SIGTERM
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for the latch
            }
        }
    }
}
