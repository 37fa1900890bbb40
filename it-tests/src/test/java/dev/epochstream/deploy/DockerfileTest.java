package dev.epochstream.deploy;

import static dev.epochstream.deploy.DeploymentFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.epochstream.deploy.ParsedDockerfile.Copy;
import dev.epochstream.deploy.ParsedDockerfile.Stage;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile and its Dockerfile.dockerignore, checked as text (no Docker engine needed). */
class DockerfileTest {

    /** Where the job stage puts the shaded jar; compose and the FlinkDeployment refer to it. */
    static final String JOB_JAR = "/opt/flink/usrlib/epochstream-job.jar";
    /** Where the job stage puts the default configuration. */
    static final String JOB_CONFIG = "/opt/flink/usrlib/job.properties";

    static ParsedDockerfile dockerfile() {
        return ParsedDockerfile.parse(DeploymentFiles.read(DeploymentFiles.DOCKERFILE));
    }

    @Test
    void versionsAgreeWithThePom() {
        ParsedDockerfile d = dockerfile();
        assertThat(d.args()).containsEntry("VERSION", DeploymentFiles.pom("version"));
        // The cluster must run the Flink version the job is compiled against, on Java 17.
        assertThat(d.args().get("FLINK_IMAGE"))
                .isEqualTo("flink:" + DeploymentFiles.pom("flink.version") + "-scala_2.12-java17");
    }

    @Test
    void theDefaultStageIsTheFlinkImageWithTheShadedJarAndConfig() {
        Stage job = dockerfile().defaultStage();
        assertThat(job.name()).isEqualTo("job");
        assertThat(job.from()).startsWith("flink:");
        String version = DeploymentFiles.pom("version");
        assertThat(job.copies()).contains(
                new Copy("flink-job/target/epochstream-flink-job-" + version + "-job.jar", JOB_JAR),
                new Copy("docker/job.properties", JOB_CONFIG));
    }

    @Test
    void theCliStageLaysOutWhatBinEpochstreamLooksFor() {
        Stage cli = dockerfile().stages().get("cli");
        assertThat(cli).isNotNull();
        String version = DeploymentFiles.pom("version");
        assertThat(cli.copies()).extracting(Copy::source).containsExactlyInAnyOrder("bin/epochstream",
                "flink-job/src/main/resources/log4j2-cli.xml", "flink-job/target/lib/",
                "flink-job/target/epochstream-flink-job-" + version + ".jar");
        // bin/epochstream finds the jar and lib/ relative to itself: same relative paths in the image.
        assertThat(cli.copies()).allSatisfy(c -> assertThat(c.destination()).isIn(c.source(),
                c.source().substring(0, c.source().lastIndexOf('/') + 1)));
        assertThat(DeploymentFiles.read(ROOT.resolve("bin/epochstream")))
                .contains("flink-job/target", "$target/lib/*", "dev.epochstream.cli.Main");
    }

    @Test
    void theBuildContextKeepsEverySourceTheStagesCopy() {
        List<String> kept = new ArrayList<>();
        for (String line : DeploymentFiles.read(DeploymentFiles.DOCKERIGNORE).split("\n")) {
            if (line.startsWith("!")) {
                kept.add(trimSlash(line.substring(1).strip()));
            }
        }
        for (Stage stage : dockerfile().stages().values()) {
            for (Copy c : stage.copies()) {
                assertThat(keptBy(kept, trimSlash(c.source()))).as(c.source() + " in Dockerfile.dockerignore").isTrue();
            }
        }
        assertThat(keptBy(kept, "learner/src/main/java")).isFalse();
    }

    @Test
    void sourcesTrackedInGitExist() {
        for (Stage stage : dockerfile().stages().values()) {
            for (Copy c : stage.copies()) {
                if (!c.source().contains("/target/")) {
                    assertThat(ROOT.resolve(c.source())).as(c.source()).isRegularFile();
                }
            }
        }
    }

    @Test
    void buildOutputsExistAfterPackage() {
        // Only after flink-job's package phase (a reactor build: mvn -pl it-tests -am verify).
        assumeTrue(Files.isDirectory(ROOT.resolve("flink-job/target/lib")), "flink-job is not packaged");
        for (Stage stage : dockerfile().stages().values()) {
            for (Copy c : stage.copies()) {
                assertThat(Files.exists(ROOT.resolve(c.source()))).as(c.source()).isTrue();
            }
        }
    }

    private static boolean keptBy(List<String> patterns, String source) {
        for (String p : patterns) {
            if (source.equals(p) || source.startsWith(p + "/")
                    || FileSystems.getDefault().getPathMatcher("glob:" + p).matches(Path.of(source))) {
                return true;
            }
        }
        return false;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
