package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class KnownSchemasTest {

    private static final Path HISTORY = Path.of("src/main/avro-history");
    private static final Path CURRENT = Path.of("src/main/avro");

    private static final Map<String, Schema> GENERATED = Map.of(
            "LabelledEvent", LabelledEvent.getClassSchema(),
            "EpochMetrics", EpochMetrics.getClassSchema(),
            "ModelSnapshot", ModelSnapshot.getClassSchema(),
            "Prediction", Prediction.getClassSchema(),
            "DeadLetter", DeadLetter.getClassSchema());

    @Test
    void latestVersionIsTheGeneratedSchema() {
        for (String name : KnownSchemas.NAMES) {
            List<Schema> versions = KnownSchemas.versions(name);
            Schema latest = versions.get(versions.size() - 1);
            // The generated schema carries avro.java.string properties; the parsing form (what the
            // single-object fingerprint covers) must be identical.
            assertThat(SchemaNormalization.toParsingForm(latest)).as(name)
                    .isEqualTo(SchemaNormalization.toParsingForm(GENERATED.get(name)));
        }
    }

    @Test
    void latestHistoryFileIsACopyOfTheCurrentFile() throws IOException {
        for (String name : KnownSchemas.NAMES) {
            int latest = KnownSchemas.versions(name).size();
            assertThat(Files.readString(HISTORY.resolve(name + ".v" + latest + ".avsc")))
                    .as(name).isEqualTo(Files.readString(CURRENT.resolve(name + ".avsc")));
        }
    }

    @Test
    void everyFileOfTheHistoryFolderIsLoaded() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(HISTORY)) {
            list.forEach(p -> files.add(p.getFileName().toString()));
        }
        List<String> loaded = new ArrayList<>();
        for (String name : KnownSchemas.NAMES) {
            for (int v = 1; v <= KnownSchemas.versions(name).size(); v++) {
                loaded.add(name + ".v" + v + ".avsc");
            }
        }
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(files);
        try (Stream<Path> list = Files.list(CURRENT)) {
            assertThat(list.count()).as("every current schema has a history").isEqualTo(KnownSchemas.NAMES.size());
        }
    }

    @Test
    void labelledEventHasTwoVersionsAndV1LacksAttributes() {
        assertThat(KnownSchemas.versions("LabelledEvent")).hasSize(2);
        assertThat(KnownSchemas.version("LabelledEvent", 1).getField("attributes")).isNull();
        assertThat(KnownSchemas.version("LabelledEvent", 2).getField("attributes")).isNotNull();
        assertThat(KnownSchemas.versionsOf(Prediction.getClassSchema())).hasSize(1);
    }

    @Test
    void everyFieldOfEveryVersionHasADoc() {
        for (String name : KnownSchemas.NAMES) {
            for (Schema version : KnownSchemas.versions(name)) {
                assertDocumented(version);
            }
        }
    }

    @Test
    void unknownNamesAndVersionsAreRefused() {
        assertThatThrownBy(() -> KnownSchemas.versions("Nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Nope");
        assertThatThrownBy(() -> KnownSchemas.version("Prediction", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..1");
    }

    private static void assertDocumented(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                assertThat(schema.getDoc()).as(schema.getFullName()).isNotBlank();
                for (Schema.Field f : schema.getFields()) {
                    assertThat(f.doc()).as(schema.getName() + "." + f.name()).isNotBlank();
                    assertDocumented(f.schema());
                }
            }
            case UNION -> schema.getTypes().forEach(KnownSchemasTest::assertDocumented);
            case ARRAY -> assertDocumented(schema.getElementType());
            case MAP -> assertDocumented(schema.getValueType());
            default -> { }
        }
    }
}
