package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md documents every training key. Runs once the README has its "## Configuration" section
 * (skipped until then); the working directory of Surefire is the learner module.
 */
class ConfigurationDocsTest {

    @Test
    void readmeMentionsEveryTrainingKey() throws IOException {
        Path readme = Path.of("..", "README.md");
        assumeTrue(Files.isRegularFile(readme), "no README.md at the repository root");
        String text = Files.readString(readme);
        assumeTrue(text.contains("\n## Configuration"), "README.md has no '## Configuration' section yet");
        List<String> missing = new ArrayList<>();
        for (ConfigKey key : TrainingKeys.ALL) {
            if (!text.contains(key.name())) {
                missing.add(key.name());
            }
        }
        assertThat(missing).as("keys not documented in README.md").isEmpty();
    }

    @Test
    void everyKeyHasADocAndADistinctName() {
        List<String> names = new ArrayList<>();
        for (ConfigKey key : TrainingKeys.ALL) {
            assertThat(key.doc()).as(key.name()).isNotBlank();
            if (key.required()) {
                assertThat(key.defaultValue()).as(key.name()).isNull();
            }
            names.add(key.name());
        }
        assertThat(names).doesNotHaveDuplicates();
    }
}
