package dev.epochstream.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.epochstream.job.JobKeys;
import dev.epochstream.learner.config.ConfigKey;
import dev.epochstream.learner.config.TrainingKeys;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the deployment files of {@code docker/} (and the root pom.xml they must agree with) for the
 * deployment tests, which run without a Docker engine or a Kubernetes cluster.
 */
final class DeploymentFiles {
    private DeploymentFiles() {
    }

    /** The repository root: Surefire runs in it-tests/, one level below. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    static final Path DOCKERIGNORE = DOCKER.resolve("Dockerfile.dockerignore");
    static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
    static final Path JOB_PROPERTIES = DOCKER.resolve("job.properties");
    static final Path FLINK_DEPLOYMENT = DOCKER.resolve("kubernetes").resolve("flinkdeployment.yaml");

    /** The job's main class, as the shaded jar's manifest names it (flink-job/pom.xml). */
    static final String JOB_CLASS = "dev.epochstream.job.EpochstreamJob";

    // Jackson reads YAML without resolving anchors and merge keys (an alias comes back as the anchor's
    // name), so the files must not use them; the tests would then see wrong values, not an error.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " YAML documents, expected one");
        }
        return docs.get(0);
    }

    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(read(file));
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** The key/value pairs of a properties text (comments and blank lines dropped). */
    static Map<String, String> properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : new TreeSet<>(p.stringPropertyNames())) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    /** Every documented key: the learner's and the job's. */
    static List<ConfigKey> knownKeys() {
        List<ConfigKey> all = new ArrayList<>(TrainingKeys.ALL);
        all.addAll(JobKeys.ALL);
        return all;
    }

    static Set<String> documentedKeys() {
        Set<String> names = new TreeSet<>();
        for (ConfigKey k : knownKeys()) {
            names.add(k.name());
        }
        return names;
    }

    /**
     * Whether the job accepts {@code name}: a documented key, or a Kafka client property passed through
     * under the {@code kafka.} prefix (what the job's own unknown-key check allows).
     */
    static boolean acceptedKey(String name) {
        return documentedKeys().contains(name)
                || (name.startsWith(JobKeys.KAFKA_PREFIX) && name.length() > JobKeys.KAFKA_PREFIX.length());
    }

    /**
     * The {@code --key value} overrides of a job argument list after its {@code --config FILE}, in order.
     * Fails on anything else, as the job's own parser would.
     */
    static Map<String, String> overrides(List<String> args) {
        int config = args.indexOf("--config");
        if (config < 0 || config + 1 >= args.size()) {
            throw new IllegalArgumentException("no --config FILE in " + args);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = config + 2; i < args.size(); i += 2) {
            String flag = args.get(i);
            if (!flag.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("'" + flag + "' is not a --key value pair in " + args);
            }
            out.put(flag.substring(2), args.get(i + 1));
        }
        return out;
    }

    /** The value following {@code flag} in an argument list (null when absent). */
    static String argument(List<String> args, String flag) {
        int i = args.indexOf(flag);
        return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** A property or the version of the root pom.xml, e.g. {@code flink.version} or {@code version}. */
    static String pom(String name) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
            Element project = doc.getDocumentElement();
            Element parent = name.equals("version") ? project : child(project, "properties");
            return child(parent, name).getTextContent().trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + name + " from the root pom.xml: " + e, e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new IllegalStateException("no <" + name + "> in <" + parent.getTagName() + ">");
    }
}
