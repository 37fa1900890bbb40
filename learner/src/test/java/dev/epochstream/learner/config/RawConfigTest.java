package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawConfigTest {
    private static final ConfigKey N = ConfigKey.optional("a.n", "5", "a number");
    private static final ConfigKey REQ = ConfigKey.required("a.req", "something required");
    private static final ConfigKey NONE = ConfigKey.optional("a.none", null, "no default");

    @Test
    void typedAccessorsAndDefaults() {
        RawConfig c = RawConfig.of(Map.of(" a.n ", " 7 ", "a.d", "2.5", "a.b", "TRUE", "a.t", "off", "a.req", ""));
        assertThat(c.intValue(N, 0, 10)).isEqualTo(7);
        assertThat(RawConfig.of(Map.of()).intValue(N, 0, 10)).isEqualTo(5);
        assertThat(c.doubleValue(ConfigKey.optional("a.d", null, ""))).isEqualTo(2.5);
        assertThat(c.doubleValue(NONE)).isNaN();
        assertThat(c.booleanValue(ConfigKey.optional("a.b", "false", ""))).isTrue();
        assertThat(c.duration(ConfigKey.optional("a.t", "1s", ""))).isNull();
        assertThat(c.duration(ConfigKey.optional("a.missing", "1s", ""))).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.has(REQ)).isFalse();
        assertThat(c.choice(ConfigKey.optional("a.c", "X", ""), List.of("x", "y"))).isEqualTo("x");
    }

    @Test
    void errorsNameTheKeyAndTheFix() {
        RawConfig c = RawConfig.of(Map.of("a.n", "11", "a.req", " "));
        assertThatThrownBy(() -> c.intValue(N, 0, 10)).hasMessage("a.n: must be in [0, 10], got 11");
        assertThatThrownBy(() -> c.string(REQ)).hasMessage("a.req: is required: something required");
        assertThatThrownBy(() -> RawConfig.of(Map.of("a.n", "NaN")).doubleValue(N))
                .hasMessageContaining("a.n: must be a finite number");
        assertThatThrownBy(() -> RawConfig.of(Map.of("a.n", "0")).doubleValue(N, 0, true, 1, false))
                .hasMessage("a.n: must be in (0, 1], got 0");
        assertThatThrownBy(() -> RawConfig.of(Map.of("a.n", "x")).longValue(N, 0, 10))
                .hasMessageContaining("a.n: 'x' is not an integer");
    }

    @Test
    void loadAppliesOverridesOnTopOfTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "a.n = 3\nmodel.loss=mse\n");
        RawConfig c = RawConfig.load(file, Map.of("a.n", "9"));
        assertThat(c.intValue(N, 0, 10)).isEqualTo(9);
        assertThat(c.asMap()).containsEntry("model.loss", "mse");
        assertThatThrownBy(() -> RawConfig.load(dir.resolve("missing.properties"), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("--config"))
                .hasMessageContaining("file not found");
    }
}
