package dev.epochstream.deploy;

import static dev.epochstream.deploy.DeploymentFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.epochstream.job.JobKeys;
import dev.epochstream.learner.config.RawConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docker/kubernetes/flinkdeployment.yaml: a ConfigMap with the job's configuration and a FlinkDeployment
 * for the Flink Kubernetes Operator.
 *
 * <p>The operator's CRD schema is not in a Maven Central artifact this build can resolve, so the checks
 * are structural: required fields, allowed values and the field names of the FlinkDeployment v1beta1
 * API (operator 1.13 to 1.15, where {@code flinkVersion: v2_2} exists). A field outside these lists is
 * an error here, as it would be silently dropped by the API server.
 */
class FlinkDeploymentFileTest {

    private static final Set<String> SPEC_FIELDS = Set.of("image", "imagePullPolicy", "serviceAccount", "flinkVersion",
            "ingress", "podTemplate", "jobManager", "taskManager", "job", "restartNonce", "flinkConfiguration",
            "logConfiguration", "mode");
    private static final Set<String> JOB_FIELDS = Set.of("jarURI", "parallelism", "entryClass", "args", "state",
            "savepointTriggerNonce", "initialSavepointPath", "checkpointTriggerNonce", "upgradeMode",
            "allowNonRestoredState", "savepointRedeployNonce", "autoscalerResetNonce");
    private static final Set<String> COMPONENT_FIELDS = Set.of("resource", "replicas", "podTemplate");
    private static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memory", "ephemeralStorage");
    /** The operator requires this name for the container its pod template settings are merged into. */
    private static final String MAIN_CONTAINER = "flink-main-container";

    private static List<JsonNode> documents() {
        return DeploymentFiles.yamlDocuments(DeploymentFiles.FLINK_DEPLOYMENT);
    }

    private static JsonNode configMap() {
        return documents().get(0);
    }

    private static JsonNode deployment() {
        return documents().get(1);
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void holdsAConfigMapAndAFlinkDeployment() {
        assertThat(documents()).hasSize(2);
        assertThat(configMap().path("apiVersion").asText()).isEqualTo("v1");
        assertThat(configMap().path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(deployment().path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment().path("kind").asText()).isEqualTo("FlinkDeployment");
        for (JsonNode doc : documents()) {
            // Kubernetes object names: lowercase RFC 1123 labels.
            assertThat(doc.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    @Test
    void deploymentHasTheRequiredFields() {
        JsonNode spec = deployment().path("spec");
        assertThat(spec.path("image").asText()).isNotBlank().endsWith(":" + DeploymentFiles.pom("version"));
        String[] flink = DeploymentFiles.pom("flink.version").split("\\.");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v" + flink[0] + "_" + flink[1]);
        assertThat(spec.path("mode").asText()).isIn("native", "standalone");
        assertThat(spec.path("serviceAccount").asText()).isNotBlank();
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + DockerfileTest.JOB_JAR);
        assertThat(job.path("entryClass").asText()).isEqualTo(DeploymentFiles.JOB_CLASS);
        assertThat(job.path("upgradeMode").asText()).isIn("stateless", "savepoint", "last-state");
        assertThat(job.path("state").asText()).isIn("running", "suspended");
        assertThat(job.path("parallelism").isInt()).isTrue();
    }

    @Test
    void usesOnlyFieldsOfTheFlinkDeploymentApi() {
        JsonNode spec = deployment().path("spec");
        assertThat(fields(spec)).isSubsetOf(SPEC_FIELDS);
        assertThat(fields(spec.path("job"))).isSubsetOf(JOB_FIELDS);
        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode c = spec.path(component);
            assertThat(fields(c)).as(component).isSubsetOf(COMPONENT_FIELDS);
            JsonNode resource = c.path("resource");
            assertThat(fields(resource)).as(component).isSubsetOf(RESOURCE_FIELDS);
            assertThat(resource.path("memory").asText()).as(component).matches("\\d+(m|g|mb|gb|Mi|Gi)");
            assertThat(resource.path("cpu").isNumber()).as(component).isTrue();
            assertThat(resource.path("cpu").asDouble()).as(component).isPositive();
        }
        // Flink configuration values are strings: the operator writes them to Flink's config as given.
        spec.path("flinkConfiguration").properties().forEach(e ->
                assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
    }

    @Test
    void lastStateUpgradesHaveHighAvailabilityAndDurableCheckpoints() {
        JsonNode spec = deployment().path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("last-state");
        // The operator refuses last-state without HA; checkpoints must outlive the pods.
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).isNotBlank();
        assertThat(conf.path("execution.checkpointing.dir").asText()).isNotBlank().doesNotStartWith("file:");
        // The S3 file system is a plugin the image's entrypoint enables on request.
        String plugins = mainContainer().path("env").findValues("value").toString();
        assertThat(plugins).contains("flink-s3-fs-presto-" + DeploymentFiles.pom("flink.version") + ".jar");
    }

    @Test
    void theJobReadsTheMountedConfigMap() {
        List<String> args = strings(deployment().path("spec").path("job").path("args"));
        String configPath = DeploymentFiles.argument(args, "--config");
        String dataKey = fields(configMap().path("data")).iterator().next();
        JsonNode mount = null;
        for (JsonNode m : mainContainer().path("volumeMounts")) {
            if (configPath.equals(m.path("mountPath").asText() + "/" + dataKey)) {
                mount = m;
            }
        }
        assertThat(mount).as("a volumeMount holding " + configPath).isNotNull();
        JsonNode volume = null;
        for (JsonNode v : deployment().path("spec").path("podTemplate").path("spec").path("volumes")) {
            if (v.path("name").asText().equals(mount.path("name").asText())) {
                volume = v;
            }
        }
        assertThat(volume).isNotNull();
        assertThat(volume.path("configMap").path("name").asText())
                .isEqualTo(configMap().path("metadata").path("name").asText());
    }

    @Test
    void theConfigMapHoldsTheExampleConfigurationAndOverridesAreDocumented() {
        String text = configMap().path("data").path("job.properties").asText();
        Map<String, String> inCluster = DeploymentFiles.properties(text);
        Map<String, String> example = DeploymentFiles.properties(DeploymentFiles.read(DeploymentFiles.JOB_PROPERTIES));
        assertThat(inCluster).isEqualTo(example);

        JsonNode job = deployment().path("spec").path("job");
        Map<String, String> overrides = DeploymentFiles.overrides(strings(job.path("args")));
        assertThat(overrides).containsKey(JobKeys.KAFKA_BOOTSTRAP.name());
        assertThat(overrides.keySet()).allSatisfy(k -> assertThat(DeploymentFiles.acceptedKey(k)).as(k).isTrue());
        RawConfig effective = RawConfig.of(merge(inCluster, overrides));
        effective.rejectUnknown(DeploymentFiles.knownKeys(), List.of(JobKeys.KAFKA_PREFIX));
        assertThat(job.path("parallelism").asInt()).isEqualTo(effective.intValue(JobKeys.PARALLELISM, 1, 1024));
        int slots = Integer.parseInt(deployment().path("spec").path("flinkConfiguration")
                .path("taskmanager.numberOfTaskSlots").asText());
        assertThat(slots).isPositive();
    }

    private static JsonNode mainContainer() {
        for (JsonNode c : deployment().path("spec").path("podTemplate").path("spec").path("containers")) {
            if (c.path("name").asText().equals(MAIN_CONTAINER)) {
                return c;
            }
        }
        throw new AssertionError("no container named " + MAIN_CONTAINER + " in spec.podTemplate");
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> overrides) {
        Map<String, String> out = new java.util.LinkedHashMap<>(base);
        out.putAll(overrides);
        return out;
    }
}
