package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.LabelledEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of events that are not clean: bytes that are not UTF-8, damaged Avro, events without time. */
class EventFileTest {

    @TempDir
    Path dir;

    private Path config() throws IOException {
        return CliRun.config(dir, "model.layers=2,2", "model.activations=softmax", "model.loss=cce",
                "optimizer=sgd", "optimizer.lr=0.1", "epoch.window=count:4", "snapshot.publish=every",
                "kafka.bootstrap.servers=localhost:1", "topic.events=x");
    }

    private static String line(int i, boolean withTime) {
        return String.format(Locale.ROOT, "{\"id\": \"e%d\", \"key\": \"k\", %s\"features\": [%d, 1], \"label\": %d}",
                i, withTime ? "\"time\": " + (1_700_000_000_000L + i) + ", " : "", i % 3, i % 2);
    }

    private CliRun replay(Path events, String out) throws IOException {
        return CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out",
                dir.resolve(out).toString());
    }

    @Test
    void aLineThatIsNotUtf8IsReportedWithItsNumberAndSkipped() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((line(0, true) + "\n" + line(1, true) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.write("{\"id\": \"bad\u00e9".getBytes(StandardCharsets.ISO_8859_1)); // é as one Latin-1 byte
        bytes.write(("\", \"key\": \"k\", \"features\": [1, 1], \"label\": 1}\n" + line(3, true) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        Path events = dir.resolve("latin.jsonl");
        Files.write(events, bytes.toByteArray());

        CliRun r = replay(events, "m.snap");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("latin.jsonl:3: skipped (malformed-json): not UTF-8 (an invalid byte sequence at column 12)")
                .contains("replay: 3 events");

        CliRun p = CliRun.of("predict", "--snapshot", dir.resolve("m.snap").toString(), "--events", events.toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        assertThat(p.out().lines()).hasSize(3);
        assertThat(p.err()).contains("latin.jsonl:3: skipped");
    }

    @Test
    void aByteOrderMarkStartsTheFileNotTheFirstEvent() throws IOException {
        Path events = dir.resolve("bom.jsonl");
        Files.writeString(events, "\uFEFF" + line(0, true) + "\n" + line(1, true) + "\n");
        CliRun r = replay(events, "m.snap");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("replay: 2 events").contains("0 bad lines");
    }

    @Test
    void aGzipFileIsRefusedNamingTheFile() throws IOException {
        Path events = dir.resolve("e.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(events))) {
            out.write(line(0, true).getBytes(StandardCharsets.UTF_8));
        }
        CliRun r = replay(events, "m.snap");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).contains("e.jsonl.gz: a gzip-compressed file").contains("gunzip");
    }

    @Test
    void eventsWithoutTimeReplayToIdenticalBytes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(line(i, false));
        }
        Path events = dir.resolve("notime.jsonl");
        Files.write(events, lines);
        assertThat(replay(events, "a.snap").exitCode()).isZero();
        Thread.sleep(5); // a wall-clock time would now differ
        assertThat(replay(events, "b.snap").exitCode()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a.snap"))).isEqualTo(Files.readAllBytes(dir.resolve("b.snap")));
    }

    private static LabelledEvent event(String id, String key, long time, double x, double weight) {
        return new LabelledEvent(id, key, Instant.ofEpochMilli(time), List.of(x, 1.0), 1, weight, null);
    }

    private Path avro(String name, List<LabelledEvent> events, int perBlock) throws IOException {
        Path f = dir.resolve(name);
        try (DataFileWriter<LabelledEvent> w = new DataFileWriter<>(new SpecificDatumWriter<>(LabelledEvent.class))) {
            w.create(LabelledEvent.getClassSchema(), f.toFile());
            for (int i = 0; i < events.size(); i++) {
                w.append(events.get(i));
                if ((i + 1) % perBlock == 0) {
                    w.sync();
                }
            }
        }
        return f;
    }

    @Test
    void avroEventsAreValidatedAsJsonEventsAre() throws IOException {
        Path f = avro("v.avro", List.of(event("ok", "k", 1_700_000_000_000L, 1, 1), event("", "k", 1_700_000_000_000L, 1, 1),
                event("w", "k", 1_700_000_000_000L, 1, -5), event("nan", "k", 1_700_000_000_000L, Double.NaN, 1),
                event("t", "k", Long.MAX_VALUE / 2, 1, 1), event("nokey", "", 1_700_000_000_000L, 1, 1)), 100);
        CliRun r = replay(f, "m.snap");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("v.avro:2: skipped (missing-field)").contains("v.avro:3: skipped (bad-weight)")
                .contains("v.avro:4: skipped (non-finite)").contains("v.avro:5: skipped (time-out-of-range)")
                .contains("v.avro:6: skipped (missing-key)").contains("replay: 1 events");
    }

    @Test
    void aDamagedAvroFileIsReportedNamingTheFile() throws IOException {
        List<LabelledEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event("e" + i, "k", 1_700_000_000_000L + i, i, 1));
        }
        Path f = avro("d.avro", events, 4);
        byte[] bytes = Files.readAllBytes(f);

        Path header = dir.resolve("header.avro");
        Files.write(header, java.util.Arrays.copyOf(bytes, 200));
        CliRun cut = replay(header, "h.snap");
        assertThat(cut.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cut.err()).contains("header.avro: a damaged Avro container file").doesNotContain("Exception");

        // the second block's sync marker (the 16 bytes after the header's) is overwritten: its records are lost
        byte[] sync = java.util.Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length);
        int second = indexOf(bytes, sync, indexOf(bytes, sync, indexOf(bytes, sync, 0) + 16) + 16);
        bytes[second + 3] ^= 0x5a;
        Path damaged = dir.resolve("block.avro");
        Files.write(damaged, bytes);
        CliRun r = replay(damaged, "m.snap");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("block.avro:").contains("skipped (truncated): a block of records after byte")
                .doesNotContain("Exception");
        assertThat(r.err()).containsPattern("replay: (8|4) events");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
