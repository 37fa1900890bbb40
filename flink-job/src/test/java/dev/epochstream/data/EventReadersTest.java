package dev.epochstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReadersTest {
    private final List<BadLine> bad = new ArrayList<>();

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(EventReadersTest.class.getResource("/data/" + name).toURI());
    }

    private List<LabelledEvent> readAll(Path file, FileFormat format, ReaderOptions options) throws IOException {
        List<LabelledEvent> out = new ArrayList<>();
        try (EventReader r = EventReaders.open(file, format, options, bad::add)) {
            LabelledEvent e;
            while ((e = r.next()) != null) {
                out.add(e);
            }
            assertThat(r.badLines()).isEqualTo(bad.size());
        }
        return out;
    }

    private static LabelledEvent event(String id, String key, long time, List<Double> x, Object label, double weight) {
        return new LabelledEvent(id, key, Instant.ofEpochMilli(time), x, label, weight, null);
    }

    @Test
    void csvGoldenFile() throws Exception {
        List<LabelledEvent> events = readAll(golden("small.csv"), FileFormat.CSV, ReaderOptions.defaults());
        assertThat(events).containsExactly(
                event("a1", "sensor-a", 1_700_000_000_000L, List.of(0.5, 1.25), 1, 1.0),
                event("a2", "sensor-b", 1_704_067_201_000L, List.of(-3.0, 0.002), 0, 2.5),
                // no id, key or time: the default key, <key>-<line>, and base + 7 lines * 10 ms
                event("model-0-7", "model-0", 1_704_067_200_070L, List.of(7.0, 8.0), 2.5, 1.0),
                // empty label: an unlabelled (prediction-only) event
                event("a7", "sensor-a", 1_700_000_000_060L, List.of(1.0, 1.0), null, 1.0));
        assertThat(bad).extracting(BadLine::line).containsExactly(5L, 6L, 8L, 10L);
        assertThat(bad.get(0).toString()).endsWith("small.csv:5: column 'x2': 'oops' is not a number");
        assertThat(bad.get(1).reason()).isEqualTo("expected 7 fields as the header, found 5");
        assertThat(bad.get(2).reason()).isEqualTo("column 'x1': 'NaN' is not a finite number");
        assertThat(bad.get(3).reason()).startsWith("label-out-of-range: ");
    }

    @Test
    void csvHeaderProblemsFailTheFile(@TempDir Path dir) throws IOException {
        Path noLabel = Files.writeString(dir.resolve("a.csv"), "x1,x2\n1,2\n");
        assertThatThrownBy(() -> readAll(noLabel, FileFormat.CSV, ReaderOptions.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("a.csv:1: the header has no 'label' column");
        Path noFeature = Files.writeString(dir.resolve("b.csv"), "key,label\nk,1\n");
        assertThatThrownBy(() -> readAll(noFeature, FileFormat.CSV, ReaderOptions.defaults()))
                .hasMessageContaining("no feature columns");
        Path twice = Files.writeString(dir.resolve("c.csv"), "x,X,label\n");
        assertThatThrownBy(() -> readAll(twice, FileFormat.CSV, ReaderOptions.defaults()))
                .hasMessageContaining("column 'X' appears twice");
        Path empty = Files.writeString(dir.resolve("d.csv"), "\n\n");
        assertThatThrownBy(() -> readAll(empty, FileFormat.CSV, ReaderOptions.defaults()))
                .hasMessageContaining("empty CSV file");
    }

    @Test
    void csvQuotedFieldsMayHoldCommasAndQuotes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("q.csv"), "key,x,label\n\"a,\"\"b\"\"\",1.5,1\n\"open,2,1\n");
        List<LabelledEvent> events = readAll(f, FileFormat.CSV, ReaderOptions.defaults());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("a,\"b\"");
            assertThat(e.getId()).isEqualTo("a,\"b\"-2");
        });
        assertThat(bad).singleElement().satisfies(b -> assertThat(b.reason()).contains("quoted field is not closed"));
    }

    @Test
    void jsonLinesGoldenFile() throws Exception {
        List<LabelledEvent> events = readAll(golden("small.jsonl"), FileFormat.JSONL, ReaderOptions.defaults());
        assertThat(events).containsExactly(
                event("j1", "m1", 1_700_000_000_000L, List.of(0.1, 2.0), 1, 1.0),
                new LabelledEvent("j2", "m1", Instant.ofEpochMilli(1_704_067_200_020L),
                        new SparseFeatures(5, List.of(0, 4), List.of(1.5, -2.0)), 0.5, 1.0, null),
                event("j6", "m2", 1_704_067_200_070L, List.of(3.0), List.of(0.25, 0.75), 2.0));
        assertThat(bad).extracting(BadLine::line).containsExactly(4L, 5L, 6L);
        assertThat(bad).extracting(BadLine::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("malformed-json: "),
                r -> assertThat(r).startsWith("missing-key: "),
                r -> assertThat(r).startsWith("wrong-type: ").contains("features[1]"));
    }

    @Test
    void libsvmGoldenFileWithTheDimensionFromTheLargestIndex() throws Exception {
        List<LabelledEvent> events = readAll(golden("small.libsvm"), FileFormat.LIBSVM, ReaderOptions.defaults());
        assertThat(events).containsExactly(
                sparse("model-0-2", 2, 4, List.of(0, 2), List.of(0.5, -1.25), 1),
                sparse("model-0-3", 3, 4, List.of(1), List.of(0.2), 0),
                sparse("model-0-4", 4, 4, List.of(3), List.of(1.0), 1),
                sparse("model-0-9", 9, 4, List.of(), List.of(), -1.5));
        assertThat(bad).extracting(BadLine::line).containsExactly(5L, 6L, 7L, 8L);
        assertThat(bad).extracting(BadLine::reason).containsExactly(
                "index 2 after 3: indices must increase",
                "index 0 is outside 1..4",
                "value of index 2: 'x' is not a number",
                "token 1 '2-1' is not index:value");
    }

    @Test
    void libsvmWithAGivenDimensionRefusesLargerIndices() throws Exception {
        List<LabelledEvent> events = readAll(golden("small.libsvm"), FileFormat.LIBSVM,
                ReaderOptions.defaults().withDimension(3).withDefaultKey("k"));
        assertThat(events).extracting(LabelledEvent::getId).containsExactly("k-2", "k-3", "k-9");
        assertThat(((SparseFeatures) events.get(0).getFeatures()).getSize()).isEqualTo(3);
        assertThat(bad).extracting(BadLine::reason).contains("index 4 is outside 1..3");
    }

    private static LabelledEvent sparse(String id, long line, int size, List<Integer> idx, List<Double> val, Object label) {
        return new LabelledEvent(id, "model-0", Instant.ofEpochMilli(1_704_067_200_000L + 10 * line),
                new SparseFeatures(size, idx, val), label, 1.0, null);
    }

    @Test
    void missingFileIsNoSuchFile(@TempDir Path dir) {
        assertThatThrownBy(() -> EventReaders.open(dir.resolve("none.csv"), FileFormat.CSV, ReaderOptions.defaults(), bad::add))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("none.csv");
    }

    @Test
    void formatFromTheFileName() {
        assertThat(FileFormat.ofFileName(Path.of("a/b.CSV"))).isEqualTo(FileFormat.CSV);
        assertThat(FileFormat.ofFileName(Path.of("b.jsonl"))).isEqualTo(FileFormat.JSONL);
        assertThat(FileFormat.ofFileName(Path.of("b.svm"))).isEqualTo(FileFormat.LIBSVM);
        assertThat(FileFormat.ofFileName(Path.of("b.txt"))).isNull();
    }

    @Test
    void csvWithAByteOrderMarkAndALineThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bom.csv");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write("\uFEFFkey,x1,label\nk,1,1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.write(new byte[] {'k', (byte) 0xff, ',', '2', ',', '0', '\n'});
        b.write("k,3,1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(f, b.toByteArray());
        List<LabelledEvent> events = readAll(f, FileFormat.CSV, ReaderOptions.defaults());
        assertThat(events).extracting(LabelledEvent::getKey).containsExactly("k", "k");
        assertThat(bad).extracting(BadLine::toString)
                .containsExactly(f + ":3: not UTF-8 (an invalid byte sequence at column 2)");
    }
}
