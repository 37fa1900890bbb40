package dev.epochstream.it;

import dev.epochstream.connectors.format.JsonEventDecoder;
import dev.epochstream.connectors.format.JsonEventEncoder;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One committed evolution fixture: a directory under {@code it-tests/src/test/resources/fixtures/}
 * holding what one released version of the job left behind (see the README there):
 *
 * <ul>
 *   <li>{@code job.properties}: the job configuration it ran with (without {@code kafka.bootstrap.servers});</li>
 *   <li>{@code events/partition-P.jsonl}: the events it read from partition P of its events topic, in
 *       offset order, in the JSON wire format;</li>
 *   <li>{@code savepoint/}: the canonical savepoint it was stopped with (relocatable);</li>
 *   <li>{@code snapshots/KEY.avro}: the newest model snapshot of every key at that moment, the bytes of
 *       the snapshot topic's record value (Avro single-object encoding), as a snapshot file.</li>
 * </ul>
 *
 * Fixtures are append-only: a change of state layout or schemas must keep every one of them restorable.
 */
record EvolutionFixture(String name, Path dir) {
    static final String RESOURCE_ROOT = "/fixtures";

    /** Every fixture on the test classpath, by name. */
    static List<EvolutionFixture> all() {
        URL root = EvolutionFixture.class.getResource(RESOURCE_ROOT);
        if (root == null) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(Path.of(root.toURI()))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("job.properties"))).sorted()
                    .map(d -> new EvolutionFixture(d.getFileName().toString(), d)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path config() {
        return dir.resolve("job.properties");
    }

    Path savepoint() {
        return dir.resolve("savepoint");
    }

    Path snapshotFile(String key) {
        return dir.resolve("snapshots").resolve(key + ".avro");
    }

    /** The events of each partition, partition 0 first, in offset order. */
    List<List<LabelledEvent>> readEvents() throws IOException {
        JsonEventDecoder decoder = new JsonEventDecoder();
        List<List<LabelledEvent>> partitions = new ArrayList<>();
        for (int p = 0; Files.isRegularFile(eventsFile(p)); p++) {
            List<LabelledEvent> events = new ArrayList<>();
            for (String line : Files.readAllLines(eventsFile(p), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    DecodeResult<LabelledEvent> r = decoder.decode(line, 0L);
                    if (!r.isOk()) {
                        throw new IllegalStateException(eventsFile(p) + ": " + r.message() + " in " + line);
                    }
                    events.add(r.value());
                }
            }
            partitions.add(events);
        }
        return partitions;
    }

    void writeEvents(List<List<LabelledEvent>> partitions) throws IOException {
        JsonEventEncoder encoder = new JsonEventEncoder();
        Files.createDirectories(eventsFile(0).getParent());
        for (int p = 0; p < partitions.size(); p++) {
            List<String> lines = new ArrayList<>();
            for (LabelledEvent e : partitions.get(p)) {
                lines.add(encoder.encode(e));
            }
            Files.write(eventsFile(p), lines, StandardCharsets.UTF_8);
        }
    }

    /** The committed snapshot of every key, by key. */
    Map<String, ModelSnapshot> readSnapshots() throws IOException {
        AvroSingleObjectCodec<ModelSnapshot> codec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        Map<String, ModelSnapshot> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            for (Path f : files.sorted().toList()) {
                DecodeResult<ModelSnapshot> r = codec.decode(Files.readAllBytes(f));
                if (!r.isOk()) {
                    throw new IllegalStateException(f + ": " + r.message());
                }
                out.put(r.value().getKey(), r.value());
            }
        }
        return out;
    }

    void writeSnapshot(ModelSnapshot s) throws IOException {
        Files.createDirectories(snapshotFile(s.getKey()).getParent());
        Files.write(snapshotFile(s.getKey()), AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(s));
    }

    /** Creates the job's topics, named as in its configuration, on {@code kafka}. */
    static void createTopics(EmbeddedKafka kafka, JobConfig config, int eventPartitions) {
        kafka.createTopics(TopicSpec.of(config.eventsTopic(), eventPartitions), TopicSpec.of(config.metricsTopic(), 1),
                TopicSpec.of(config.snapshotsTopic(), 1).compacted(), TopicSpec.of(config.predictionsTopic(), 1),
                TopicSpec.of(config.deadLettersTopic(), 1));
    }

    /** Deletes the topics {@link #createTopics} created, so that the next test gets fresh ones of the same names. */
    static void deleteTopics(EmbeddedKafka kafka, JobConfig config) {
        for (String topic : List.of(config.eventsTopic(), config.metricsTopic(), config.snapshotsTopic(),
                config.predictionsTopic(), config.deadLettersTopic())) {
            kafka.deleteTopic(topic);
        }
    }

    /** Copies a directory tree (a savepoint) to {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private Path eventsFile(int partition) {
        return dir.resolve("events").resolve("partition-" + partition + ".jsonl");
    }
}
