package dev.epochstream.learner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse(" 5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("10 s")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("10 parsecs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown unit 'parsecs'");
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("1.5s")).isInstanceOf(IllegalArgumentException.class);
        // overflow of the unit conversion, of the milliseconds, of the number itself
        assertThatThrownBy(() -> Durations.parse("9999999999999999d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("9223372036854776s")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999ms")).hasMessageContaining("too large");
        assertThat(Durations.parse("9223372036854775807ms")).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Test
    void formatsTheShortestExactForm() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
        for (String s : new String[] {"250ms", "10s", "5m", "1h", "3d", "90s"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }
}
