package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowSpecTest {

    @Test
    void parsesTheThreeKindsAndPrintsThemBack() {
        assertThat(WindowSpec.parse("count:100")).isEqualTo(WindowSpec.count(100));
        assertThat(WindowSpec.parse("event-time:10s"))
                .isEqualTo(new WindowSpec(WindowSpec.Kind.EVENT_TIME, 0, Duration.ofSeconds(10)));
        assertThat(WindowSpec.parse("Processing-Time: 5m"))
                .isEqualTo(new WindowSpec(WindowSpec.Kind.PROCESSING_TIME, 0, Duration.ofMinutes(5)));
        for (String s : new String[] {"count:7", "event-time:90s", "processing-time:1h"}) {
            assertThat(WindowSpec.parse(s).toString()).isEqualTo(s);
        }
    }

    @Test
    void errorsNameTheKey() {
        for (String bad : new String[] {"count:0", "count:x", "tumbling:5s", "5s", "event-time:0s", "event-time:5y"}) {
            assertThatThrownBy(() -> WindowSpec.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("epoch.window"));
        }
    }
}
