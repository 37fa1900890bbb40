package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private long now;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheShareDoneAndTheRate() {
        ProgressBar bar = new ProgressBar(out, "produce", 10_000, true, () -> now);
        // 3000 of 10000 after 2 s: 9 of 30 cells, 30%, 1500 events/s.
        assertThat(bar.render(3000, 2_000_000_000L))
                .isEqualTo("[#########.....................]  30%  3000/10000 events  1500 ev/s");
        ProgressBar endless = new ProgressBar(out, "produce", 0, true, () -> now);
        assertThat(endless.render(500, 1_000_000_000L)).isEqualTo("500 events  500 ev/s");
    }

    @Test
    void terminalRedrawsInPlaceAtMostFiveTimesASecond() {
        ProgressBar bar = new ProgressBar(out, "produce", 100, true, () -> now);
        now = 100_000_000L;
        bar.update(10);
        assertThat(printed()).isEmpty();
        now = 200_000_000L;
        bar.update(20);
        assertThat(printed()).startsWith("\r[######").contains(" 20%").doesNotContain("\n");
        bar.finish();
        assertThat(printed()).endsWith("\r\u001b[K");
    }

    @Test
    void elsewhereOneLineEveryTenSeconds() {
        ProgressBar bar = new ProgressBar(out, "produce", 100, false, () -> now);
        now = 9_000_000_000L;
        bar.update(10);
        assertThat(printed()).isEmpty();
        now = 10_000_000_000L;
        bar.update(50);
        assertThat(printed()).startsWith("produce: [###############...............]  50%").endsWith("\n").doesNotContain("\r");
        bar.finish();
        assertThat(printed()).doesNotContain("\r");
    }
}
