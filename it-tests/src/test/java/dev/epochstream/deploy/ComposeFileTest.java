package dev.epochstream.deploy;

import static dev.epochstream.deploy.DeploymentFiles.COMPOSE;
import static dev.epochstream.deploy.DeploymentFiles.JOB_PROPERTIES;
import static dev.epochstream.deploy.DeploymentFiles.argument;
import static dev.epochstream.deploy.DeploymentFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.epochstream.job.JobKeys;
import dev.epochstream.learner.config.RawConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker/docker-compose.yml: services, topics and the job's arguments against the code's keys. */
class ComposeFileTest {

    private static final Pattern TOPIC_CREATE = Pattern.compile("--create\\b[^\\n]*?--topic\\s+(\\S+)([^\\n]*)");

    private static JsonNode services() {
        return DeploymentFiles.yaml(COMPOSE).path("services");
    }

    private static Map<String, String> jobProperties() {
        return DeploymentFiles.properties(DeploymentFiles.read(JOB_PROPERTIES));
    }

    @Test
    void servicesAreTheDemoStack() {
        Set<String> names = new TreeSet<>();
        services().fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "kafka-init", "jobmanager", "taskmanager", "producer", "watch");
    }

    @Test
    void kafkaIsAKraftBrokerOfTheClientsVersion() {
        JsonNode kafka = services().path("kafka");
        assertThat(kafka.path("image").asText()).isEqualTo("apache/kafka:" + DeploymentFiles.pom("kafka.version"));
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_LISTENERS").asText()).contains("PLAINTEXT://:9092");
        assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://kafka:9092");
        assertThat(env.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
        // A KRaft cluster id is a UUID in 22 characters of URL-safe base64.
        assertThat(env.path("CLUSTER_ID").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("--bootstrap-server kafka:9092");
        // Every clients' bootstrap address in the stack is the broker's in-network listener.
        assertThat(jobProperties()).containsEntry(JobKeys.KAFKA_BOOTSTRAP.name(), "kafka:9092");
    }

    @Test
    void initCreatesEveryTopicOfTheJob() {
        JsonNode init = services().path("kafka-init");
        assertThat(init.path("image").asText()).isEqualTo(services().path("kafka").path("image").asText());
        assertThat(init.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        String script = String.join("\n", strings(init.path("command")));
        Map<String, String> created = new HashMap<>();
        Matcher m = TOPIC_CREATE.matcher(script);
        while (m.find()) {
            created.put(m.group(1), m.group(2));
        }
        Map<String, String> props = jobProperties();
        assertThat(created.keySet()).containsExactlyInAnyOrder(props.get(JobKeys.TOPIC_EVENTS.name()),
                props.get(JobKeys.TOPIC_METRICS.name()), props.get(JobKeys.TOPIC_SNAPSHOTS.name()),
                props.get(JobKeys.TOPIC_PREDICTIONS.name()), props.get(JobKeys.TOPIC_DEAD_LETTERS.name()));
        String snapshots = created.get(props.get(JobKeys.TOPIC_SNAPSHOTS.name()));
        assertThat(snapshots).contains("--config cleanup.policy=compact", "--config max.message.bytes=8388608");
        // Only the snapshot topic is compacted: the others are logs of every record.
        assertThat(created.values().stream().filter(opts -> opts.contains("compact"))).hasSize(1);
        assertThat(script).contains("--if-not-exists");
    }

    @Test
    void jobManagerRunsTheJobInApplicationMode() {
        JsonNode jm = services().path("jobmanager");
        List<String> command = strings(jm.path("command"));
        assertThat(command.get(0)).isEqualTo("standalone-job");
        assertThat(argument(command, "--job-classname")).isEqualTo(DeploymentFiles.JOB_CLASS);
        assertThat(argument(command, "--config")).isEqualTo(DockerfileTest.JOB_CONFIG);
        Map<String, String> overrides = DeploymentFiles.overrides(command);
        assertThat(overrides).containsEntry(JobKeys.KAFKA_BOOTSTRAP.name(), "kafka:9092");
        assertThat(overrides.keySet()).allSatisfy(k -> assertThat(DeploymentFiles.acceptedKey(k)).as(k).isTrue());
        // What the job will read: the file plus the overrides, refused on any unknown key.
        RawConfig effective = RawConfig.load(JOB_PROPERTIES, overrides);
        effective.rejectUnknown(DeploymentFiles.knownKeys(), List.of(JobKeys.KAFKA_PREFIX));
        assertThat(jm.path("depends_on").path("kafka-init").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(jm.path("ports").toString()).contains("8081:8081");
    }

    @Test
    void flinkServicesShareImageAndConfiguration() throws Exception {
        JsonNode jm = services().path("jobmanager");
        JsonNode tm = services().path("taskmanager");
        assertThat(strings(tm.path("command"))).containsExactly("taskmanager");
        for (String field : List.of("image", "build", "environment", "volumes")) {
            assertThat(tm.path(field)).as(field).isEqualTo(jm.path(field));
        }
        assertThat(jm.path("build").path("target").asText()).isEqualTo("job");
        JsonNode flinkConf = new ObjectMapper(new YAMLFactory())
                .readTree(jm.path("environment").path("FLINK_PROPERTIES").asText());
        assertThat(flinkConf.path("jobmanager.rpc.address").asText()).isEqualTo(jm.path("hostname").asText());
        int parallelism = Integer.parseInt(jobProperties().get(JobKeys.PARALLELISM.name()));
        assertThat(flinkConf.path("taskmanager.numberOfTaskSlots").asInt()).isGreaterThanOrEqualTo(parallelism);
        // file:// checkpoints work only on a volume both Flink services mount.
        String checkpoints = flinkConf.path("execution.checkpointing.dir").asText();
        assertThat(checkpoints).startsWith("file:///");
        String mount = jm.path("volumes").get(0).asText().split(":")[1];
        assertThat(checkpoints.substring("file://".length())).startsWith(mount + "/");
    }

    @Test
    void producerAndWatchUseTheJobsTopicsAndBroker() {
        Map<String, String> props = jobProperties();
        JsonNode producer = services().path("producer");
        List<String> produce = strings(producer.path("command"));
        assertThat(produce.get(0)).isEqualTo("produce");
        assertThat(argument(produce, "--topic")).isEqualTo(props.get(JobKeys.TOPIC_EVENTS.name()));
        assertThat(argument(produce, "--bootstrap")).isEqualTo(props.get(JobKeys.KAFKA_BOOTSTRAP.name()));
        assertThat(argument(produce, "--generator")).isEqualTo("sea");
        JsonNode watch = services().path("watch");
        List<String> watchCommand = strings(watch.path("command"));
        assertThat(watchCommand.get(0)).isEqualTo("watch");
        assertThat(argument(watchCommand, "--topic")).isEqualTo(props.get(JobKeys.TOPIC_METRICS.name()));
        assertThat(argument(watchCommand, "--bootstrap")).isEqualTo(props.get(JobKeys.KAFKA_BOOTSTRAP.name()));
        assertThat(watch.path("tty").asBoolean()).isTrue();
        for (JsonNode cli : List.of(producer, watch)) {
            assertThat(cli.path("build").path("target").asText()).isEqualTo("cli");
            assertThat(cli.path("depends_on").path("kafka-init").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void everyBuildIsAStageOfTheDockerfile() {
        Set<String> stages = DockerfileTest.dockerfile().stages().keySet();
        services().forEach(service -> {
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                assertThat(stages).contains(build.path("target").asText());
                Path context = DeploymentFiles.DOCKER.resolve(build.path("context").asText()).normalize();
                assertThat(context).isEqualTo(DeploymentFiles.ROOT);
                assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(DeploymentFiles.DOCKERFILE);
            }
        });
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        List<String> compose = composeCommand();
        assumeTrue(compose != null, "neither docker-compose nor the docker compose plugin is installed");
        Result r = run(compose, COMPOSE);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void dockerComposeRejectsABrokenCopy(@TempDir Path dir) throws Exception {
        // Shows that the check above can fail: a dependency on a service that does not exist.
        List<String> compose = composeCommand();
        assumeTrue(compose != null, "neither docker-compose nor the docker compose plugin is installed");
        Path broken = dir.resolve("docker-compose.yml");
        Files.writeString(broken, DeploymentFiles.read(COMPOSE).replace("      - jobmanager\n", "      - jobmanagr\n"),
                StandardCharsets.UTF_8);
        Result r = run(compose, broken);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("jobmanagr");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> compose, Path file) throws Exception {
        List<String> cmd = new ArrayList<>(compose);
        cmd.addAll(List.of("-f", file.toString(), "config", "-q"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** docker-compose (v1, e.g. Debian's 1.29) or the docker compose v2 plugin; null when neither works. */
    private static List<String> composeCommand() throws Exception {
        if (onPath("docker-compose")) {
            return List.of("docker-compose");
        }
        if (onPath("docker")) {
            Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return List.of("docker", "compose");
            }
        }
        return null;
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
