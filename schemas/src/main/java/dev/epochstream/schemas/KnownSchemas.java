package dev.epochstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Every committed version of every schema, loaded from the {@code avro-history/} resources of this
 * module ({@code src/main/avro-history}, append-only: {@code <Name>.v1.avsc}, {@code <Name>.v2.avsc},
 * ...). Decoders register all of them so that data written with any old version resolves to the
 * current generated class. Versions are numbered from 1 without gaps; the last one is the current
 * schema (a test checks it equals the generated class's schema).
 */
public final class KnownSchemas {

    /** Resource folder of the schema history. */
    public static final String RESOURCE_DIR = "avro-history/";

    /** Simple names of the schemas that have a history, i.e. every record written to a topic. */
    public static final List<String> NAMES =
            List.of("LabelledEvent", "EpochMetrics", "ModelSnapshot", "Prediction", "DeadLetter");

    private static final Map<String, List<Schema>> VERSIONS = load();

    private KnownSchemas() {
    }

    /**
     * The committed versions of the schema with the given simple name, oldest first.
     *
     * @throws IllegalArgumentException for a name without history
     */
    public static List<Schema> versions(String simpleName) {
        List<Schema> versions = VERSIONS.get(simpleName);
        if (versions == null) {
            throw new IllegalArgumentException("no schema history for '" + simpleName + "'; known: " + NAMES);
        }
        return versions;
    }

    /** The committed versions of the record whose current schema is given (matched by simple name). */
    public static List<Schema> versionsOf(Schema current) {
        return versions(current.getName());
    }

    /** Version {@code version} (from 1) of the named schema. */
    public static Schema version(String simpleName, int version) {
        List<Schema> versions = versions(simpleName);
        if (version < 1 || version > versions.size()) {
            throw new IllegalArgumentException(simpleName + " has versions 1.." + versions.size() + ", not " + version);
        }
        return versions.get(version - 1);
    }

    /** Resource path of one version's file. */
    public static String resourcePath(String simpleName, int version) {
        return RESOURCE_DIR + simpleName + ".v" + version + ".avsc";
    }

    private static Map<String, List<Schema>> load() {
        Map<String, List<Schema>> all = new HashMap<>();
        for (String name : NAMES) {
            List<Schema> versions = new ArrayList<>();
            // Probe v1, v2, ... until the first missing file; a test compares this with the folder so
            // that a gap cannot hide a later version.
            for (int v = 1; ; v++) {
                Schema schema = parse(resourcePath(name, v));
                if (schema == null) {
                    break;
                }
                versions.add(schema);
            }
            if (versions.isEmpty()) {
                throw new IllegalStateException("missing resource " + resourcePath(name, 1));
            }
            all.put(name, List.copyOf(versions));
        }
        return Map.copyOf(all);
    }

    private static Schema parse(String resource) {
        try (InputStream in = KnownSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            // One parser per file: each file defines its own named types (SparseFeatures, MetricValues, ...).
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
