package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code events.max-future}: a day by default with event-time windows, which alone have a watermark one
 * far-future event could lift for good; no limit with other windows or {@code off}; a bad value is a start-up
 * error naming the key, whatever the window.
 */
class EventTimeLimitConfigTest {

    private static JobConfig config(Map<String, String> extra) {
        return JobConfigs.logistic(extra);
    }

    @Test
    void eventTimeWindowsRefuseEventsMoreThanADayAheadByDefault() {
        assertThat(config(Map.of("epoch.window", "event-time:1m")).maxFuture()).isEqualTo(Duration.ofDays(1));
        assertThat(config(Map.of("epoch.window", "event-time:1m", "events.max-future", "90s")).maxFuture())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(config(Map.of("epoch.window", "event-time:1m", "events.max-future", "off")).maxFuture()).isNull();
    }

    @Test
    void otherWindowsHaveNoLimit() {
        assertThat(config(Map.of()).maxFuture()).isNull();
        assertThat(config(Map.of("epoch.window", "processing-time:1s", "events.max-future", "1h")).maxFuture()).isNull();
    }

    @Test
    void aBadValueNamesTheKeyWhateverTheWindow() {
        for (String window : new String[] {"event-time:1m", "count:10"}) {
            assertThatThrownBy(() -> config(Map.of("epoch.window", window, "events.max-future", "tomorrow")))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("events.max-future: ");
        }
    }
}
