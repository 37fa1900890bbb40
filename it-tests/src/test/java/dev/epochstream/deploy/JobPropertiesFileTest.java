package dev.epochstream.deploy;

import static dev.epochstream.deploy.DeploymentFiles.JOB_PROPERTIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.epochstream.job.JobKeys;
import dev.epochstream.learner.config.ConfigKey;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.config.TrainingKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/job.properties: the example configuration the images ship. */
class JobPropertiesFileTest {

    /** A commented-out setting such as {@code # optimizer.momentum=0.9} (prose comments have no key=). */
    private static final Pattern COMMENTED_KEY = Pattern.compile("(?m)^#\\s?([a-z][a-z0-9.-]*)=\\S");

    @Test
    void everyKeyIsDocumented() {
        Map<String, String> props = DeploymentFiles.properties(DeploymentFiles.read(JOB_PROPERTIES));
        assertThat(props).isNotEmpty();
        // Strict: the example uses documented keys only, not even kafka.* pass-through ones.
        assertThat(props.keySet()).allSatisfy(k -> assertThat(DeploymentFiles.documentedKeys()).contains(k));
        // The same strictness as the job's own start-up check, without its pass-through prefix.
        assertThatCode(() -> RawConfig.load(JOB_PROPERTIES, Map.of()).rejectUnknown(DeploymentFiles.knownKeys(), List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void commentedOutSettingsNameAcceptedKeys() {
        Matcher m = COMMENTED_KEY.matcher(DeploymentFiles.read(JOB_PROPERTIES));
        List<String> commented = new ArrayList<>();
        while (m.find()) {
            commented.add(m.group(1));
        }
        assertThat(commented).contains("optimizer.momentum", "schedule.gamma");
        assertThat(commented).allSatisfy(k -> assertThat(DeploymentFiles.acceptedKey(k)).as(k).isTrue());
    }

    @Test
    void theKeyCheckRejectsMisspelledNames() {
        // Guards the check above against passing vacuously.
        assertThat(DeploymentFiles.acceptedKey("optimiser.lr")).isFalse();
        assertThat(DeploymentFiles.acceptedKey("topic.event")).isFalse();
        assertThat(DeploymentFiles.acceptedKey("kafka.")).isFalse();
        assertThat(DeploymentFiles.acceptedKey("kafka.security.protocol")).isTrue();
        assertThat(DeploymentFiles.acceptedKey("optimizer.lr")).isTrue();
    }

    @Test
    void trainingSettingsFormAValidConfiguration() {
        RawConfig raw = RawConfig.load(JOB_PROPERTIES, Map.of());
        for (ConfigKey k : TrainingKeys.ALL) {
            if (k.required()) {
                assertThat(raw.has(k)).as(k.name()).isTrue();
            }
        }
        TrainingConfig config = TrainingConfig.from(raw);
        // The demo stream (SEA: three attributes, binary label) fixes the model's ends.
        assertThat(config.network().inputSize()).isEqualTo(3);
        assertThat(config.network().outputSize()).isEqualTo(1);
        assertThat(config.lossName()).isEqualTo("bce");
    }

    @Test
    void jobSettingsParse() {
        RawConfig raw = RawConfig.load(JOB_PROPERTIES, Map.of());
        assertThat(raw.duration(JobKeys.CHECKPOINT_INTERVAL)).isPositive();
        assertThat(raw.intValue(JobKeys.PARALLELISM, 1, 1024)).isEqualTo(2);
        assertThat(raw.intValue(JobKeys.KEYS_MAX, 1, Integer.MAX_VALUE)).isPositive();
        assertThat(raw.string(JobKeys.SNAPSHOT_DELIVERY)).isIn("exactly-once", "at-least-once");
        assertThat(raw.string(JobKeys.EVENTS_FORMAT)).isIn("avro", "json");
        assertThat(raw.string(JobKeys.STATE_BACKEND)).isIn("hashmap", "rocksdb");
        List<String> topics = List.of(raw.string(JobKeys.TOPIC_EVENTS), raw.string(JobKeys.TOPIC_METRICS),
                raw.string(JobKeys.TOPIC_SNAPSHOTS), raw.string(JobKeys.TOPIC_PREDICTIONS),
                raw.string(JobKeys.TOPIC_DEAD_LETTERS));
        assertThat(topics).doesNotHaveDuplicates().allSatisfy(t -> assertThat(t).matches("[a-zA-Z0-9._-]+"));
    }
}
