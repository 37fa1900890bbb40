package dev.epochstream.cli;

import dev.epochstream.connectors.format.JsonEventEncoder;
import dev.epochstream.data.BadLine;
import dev.epochstream.data.EventClock;
import dev.epochstream.data.EventGenerator;
import dev.epochstream.data.EventReader;
import dev.epochstream.data.EventReaders;
import dev.epochstream.data.FileFormat;
import dev.epochstream.data.Generators;
import dev.epochstream.data.ReaderOptions;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes events to a topic, from a file or a built-in generator. The Kafka record key is the model key
 * (UTF-8), so the default partitioner keeps each key's events in one partition and in order; the value is
 * Avro single-object encoding (the job's default {@code events.format=avro}) or a JSON line.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Write events to a Kafka topic from a file (CSV, JSON lines, LIBSVM) or a seeded generator "
                + "(hyperplane, sea, rbf, friedman), keyed by model key.",
        footer = {"", "Generators: hyperplane (gradual drift), sea (abrupt drift), rbf (5 classes), friedman "
                + "(regression). Event ids are <key>-<n> and times advance 10 ms per event, so runs repeat.", "",
                "Examples:",
                "  epochstream produce --bootstrap localhost:9092 --topic epochstream.events --generator sea \\",
                "      --keys 3 --count 30000 --rate 500",
                "  epochstream produce --bootstrap localhost:9092 --topic epochstream.events --file data.csv --json",
                "  epochstream produce --bootstrap broker:9093 --topic events --file a9a.libsvm --dimension 123 \\",
                "      --producer-config client-ssl.properties"})
final class ProduceCommand implements Callable<Integer>, Main.UsesEnvironment {
    /** Events a generator writes when --count is not given. */
    static final long DEFAULT_GENERATOR_COUNT = 10_000;

    @Option(names = "--bootstrap", required = true, paramLabel = "SERVERS", description = "Kafka bootstrap servers, e.g. localhost:9092.")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to write to (must exist).")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", description = "Events file: CSV (header row with a label column), JSON lines or LIBSVM.")
        Path file;

        @Option(names = "--generator", paramLabel = "NAME", description = "Built-in generator: hyperplane, sea, rbf or friedman.")
        String generator;
    }

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv, jsonl or libsvm (default: from the file name).")
    String format;

    @Option(names = "--key", paramLabel = "KEY", description = "Model key of file events without one (CSV without a key column, LIBSVM); default model-0.")
    String key;

    @Option(names = "--dimension", paramLabel = "N", description = "LIBSVM feature dimension (default: the largest index in the file).")
    Integer dimension;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0", description = "Events per second; 0 = as fast as possible (default).")
    double rate;

    @Option(names = "--keys", paramLabel = "K", description = "Generator: number of model keys model-0..model-(K-1), each its own concept (default 1).")
    Integer keys;

    @Option(names = "--repeat", paramLabel = "N", description = "File: read it N times (default 1); passes after the first get ids <id>-r<pass> and later times.")
    Integer repeat;

    @Option(names = "--count", paramLabel = "N", description = "Generator: events to write (default 10000; 0 = until Ctrl-C). File: at most N events.")
    Long count;

    @ArgGroup(exclusive = true)
    Encoding encoding;

    static final class Encoding {
        @Option(names = "--avro", description = "Avro single-object encoding of LabelledEvent (default).")
        boolean avro;

        @Option(names = "--json", description = "One JSON object per record (LabelledEvent field names), for events.format=json.")
        boolean json;
    }

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Generator seed (default 0): the same seed writes the same events.")
    long seed;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "A Kafka producer property, e.g. security.protocol=SASL_SSL; repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--producer-config", paramLabel = "FILE", description = "A properties file of Kafka producer settings (security, ...).")
    Path producerConfig;

    private Map<String, String> environment = System.getenv();

    @Override
    public void environment(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        boolean json = encoding != null && encoding.json;
        EventSource events = openSource(err);
        try {
            Properties props = KafkaClients.properties(bootstrap, producerConfig, producerProperties, environment);
            KafkaClients.checkReachable(props, topic);
            props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return produce(events, props, json, err);
        } finally {
            events.close();
        }
    }

    private int produce(EventSource events, Properties props, boolean json, PrintStream err) throws IOException {
        AvroSingleObjectCodec<LabelledEvent> avro = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        JsonEventEncoder jsonEncoder = new JsonEventEncoder();
        Acks acks = new Acks();
        ProgressBar progress = new ProgressBar(err, "produce", events.limit(), System.console() != null, System::nanoTime);
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        StopSignal stop = new StopSignal();
        Thread hook = new Thread(() -> {
            stop.requested = true;
            LockSupport.unpark(main);
            try {
                // Let the loop flush and print its count before the JVM goes.
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "produce-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long sent = 0;
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            LabelledEvent e;
            while (!stop.requested && acks.error.get() == null && (e = events.next()) != null) {
                if (rate > 0) {
                    long due = startNanos + (long) (sent * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                byte[] value = json ? jsonEncoder.encodeUtf8(e) : avro.encode(e);
                producer.send(new ProducerRecord<>(topic, e.getKey().getBytes(StandardCharsets.UTF_8), value), acks);
                sent++;
                progress.update(sent);
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException ex) {
            acks.error.compareAndSet(null, ex);
        } finally {
            progress.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch below
            }
        }
        try {
            Exception failure = acks.error.get();
            if (failure != null) {
                throw new IOException("writing to topic '" + topic + "' on " + bootstrap + " failed after "
                        + acks.written.get() + " events: " + KafkaClients.rootMessage(failure));
            }
            err.printf(Locale.ROOT, "produce: %d events written to '%s' on %s (%s; %s) in %.1f s%s%n", acks.written.get(), topic,
                    bootstrap, json ? "json" : "avro", events.describe(), progress.elapsedSeconds(),
                    events.badLines() > 0 ? "; " + events.badLines() + " bad lines skipped" : "");
            if (stop.requested) {
                err.println("produce: stopped by signal");
            }
            return Main.EXIT_OK;
        } finally {
            finished.countDown();
        }
    }

    private EventSource openSource(PrintStream err) throws IOException {
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new Main.UsageException("--rate must be a number >= 0 (events per second; 0 = as fast as possible), got " + rate);
        }
        if (count != null && count < 0) {
            throw new Main.UsageException("--count must be >= 0, got " + count);
        }
        if (source.generator != null) {
            for (Object[] o : new Object[][] {{"--format", format}, {"--repeat", repeat}, {"--key", key}, {"--dimension", dimension}}) {
                if (o[1] != null) {
                    throw new Main.UsageException(o[0] + " applies to --file, not to --generator");
                }
            }
            int k = keys == null ? 1 : keys;
            if (k < 1) {
                throw new Main.UsageException("--keys must be >= 1, got " + k);
            }
            if (!Generators.NAMES.contains(source.generator)) {
                throw new Main.UsageException("unknown generator '" + source.generator + "': use one of "
                        + String.join(", ", Generators.NAMES));
            }
            return new GeneratedEvents(Generators.create(source.generator, k, seed), count == null ? DEFAULT_GENERATOR_COUNT : count, k);
        }
        if (keys != null) {
            throw new Main.UsageException("--keys applies to --generator; a file's events carry their own keys (or --key)");
        }
        int passes = repeat == null ? 1 : repeat;
        if (passes < 1) {
            throw new Main.UsageException("--repeat must be >= 1, got " + passes);
        }
        FileFormat f = fileFormat();
        if (dimension != null && (f != FileFormat.LIBSVM || dimension < 1)) {
            throw new Main.UsageException("--dimension applies to LIBSVM files and must be >= 1");
        }
        ReaderOptions options = new ReaderOptions(key == null ? "model-0" : key, dimension == null ? 0 : dimension);
        return new FileEvents(source.file, f, options, passes, count == null ? 0 : count,
                bad -> err.println("epochstream produce: " + bad + " (skipped)"));
    }

    private FileFormat fileFormat() {
        if (format == null) {
            FileFormat f = FileFormat.ofFileName(source.file);
            if (f == null) {
                throw new Main.UsageException("cannot tell the format of " + source.file + " from its name: give --format csv, jsonl or libsvm");
            }
            return f;
        }
        for (FileFormat f : FileFormat.values()) {
            if (f.cliName().equalsIgnoreCase(format)) {
                return f;
            }
        }
        throw new Main.UsageException("unknown --format '" + format + "': use csv, jsonl or libsvm");
    }

    /** Set by the shutdown hook (Ctrl-C, SIGTERM); read by the send loop. */
    private static final class StopSignal {
        volatile boolean requested;
    }

    /** Counts acknowledged records and keeps the first failure; one instance for all sends. */
    private static final class Acks implements Callback {
        final AtomicLong written = new AtomicLong();
        final AtomicReference<Exception> error = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                written.incrementAndGet();
            } else {
                error.compareAndSet(null, exception);
            }
        }
    }

    /** Where the events come from. */
    private interface EventSource {
        /** The next event, or null when done. */
        LabelledEvent next() throws IOException;

        /** How many events there will be, or 0 when unknown or endless. */
        long limit();

        long badLines();

        /** E.g. "generator sea, 3 keys" for the final line. */
        String describe();

        void close() throws IOException;
    }

    private static final class GeneratedEvents implements EventSource {
        private final EventGenerator generator;
        private final long count;
        private final int keyCount;
        private long produced;

        GeneratedEvents(EventGenerator generator, long count, int keyCount) {
            this.generator = generator;
            this.count = count;
            this.keyCount = keyCount;
        }

        @Override
        public LabelledEvent next() {
            if (count > 0 && produced >= count) {
                return null;
            }
            produced++;
            return generator.next();
        }

        @Override
        public long limit() {
            return count;
        }

        @Override
        public long badLines() {
            return 0;
        }

        @Override
        public String describe() {
            return "generator " + generator.name() + ", " + keyCount + (keyCount == 1 ? " key" : " keys");
        }

        @Override
        public void close() {
        }
    }

    /**
     * A file read {@code passes} times. Pass p &gt; 0 renames ids to {@code <id>-r<p>} and shifts times by p
     * times the first pass's span plus one step, so repeated events stay unique and in time order.
     */
    private static final class FileEvents implements EventSource {
        private final Path file;
        private final FileFormat format;
        private final ReaderOptions options;
        private final int passes;
        private final long max;
        private final java.util.function.Consumer<BadLine> onBadLine;
        private EventReader reader;
        private int pass;
        private long produced;
        private long badLines;
        private long minTime = Long.MAX_VALUE;
        private long maxTime = Long.MIN_VALUE;

        FileEvents(Path file, FileFormat format, ReaderOptions options, int passes, long max,
                   java.util.function.Consumer<BadLine> onBadLine) throws IOException {
            this.file = file;
            this.format = format;
            this.options = options;
            this.passes = passes;
            this.max = max;
            this.onBadLine = onBadLine;
            this.reader = EventReaders.open(file, format, options, onBadLine);
        }

        @Override
        public LabelledEvent next() throws IOException {
            if (max > 0 && produced >= max) {
                return null;
            }
            LabelledEvent e = reader.next();
            while (e == null) {
                if (pass == 0) {
                    badLines = reader.badLines();
                }
                reader.close();
                if (++pass >= passes || produced == 0) {
                    return null;
                }
                // Bad lines were reported in the first pass; later passes skip them quietly.
                reader = EventReaders.open(file, format, options, bad -> { });
                e = reader.next();
            }
            long t = e.getTime().toEpochMilli();
            if (pass == 0) {
                minTime = Math.min(minTime, t);
                maxTime = Math.max(maxTime, t);
            } else {
                e.setId(e.getId() + "-r" + pass);
                e.setTime(Instant.ofEpochMilli(t + pass * (maxTime - minTime + EventClock.STEP_MILLIS)));
            }
            produced++;
            return e;
        }

        @Override
        public long limit() {
            return max;
        }

        @Override
        public long badLines() {
            return pass == 0 ? reader.badLines() : badLines;
        }

        @Override
        public String describe() {
            return "file " + file + (passes > 1 ? ", " + passes + " passes" : "");
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
