package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalChartTest {

    @Test
    void scalesBetweenMinimumAndMaximumToEightLevels() {
        // (v - 1) / 7 * 7 = v - 1: one level per unit.
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(TerminalChart.sparkline(v, 0, 8, TerminalChart.BLOCKS)).isEqualTo("▁▂▃▄▅▆▇█");
        assertThat(TerminalChart.sparkline(v, 0, 8, TerminalChart.ASCII)).isEqualTo("_.-:=+*#");
    }

    @Test
    void readsARingFromItsStartAndRoundsToTheNearestLevel() {
        // Ring holding 0.0, 1.0 at [2], [3] and 0.5 (level 3.5 -> 4), 0.0 wrapped to [0], [1].
        double[] ring = {0.5, 0.0, 0.0, 1.0};
        assertThat(TerminalChart.sparkline(ring, 2, 4, TerminalChart.BLOCKS)).isEqualTo("▁█▅▁");
    }

    @Test
    void constantSeriesSitsInTheMiddleAndNaNIsBlank() {
        assertThat(TerminalChart.sparkline(new double[] {2, 2, Double.NaN}, 0, 3, TerminalChart.ASCII)).isEqualTo("::" + " ");
    }
}
