package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.MetricValues;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsBoardTest {

    static EpochMetrics metrics(String key, long epoch, String task, double loss, Double accuracy, Double r2,
                                boolean published, Long lag) {
        MetricValues p = MetricValues.newBuilder().setCount(100).setLoss(loss).setAccuracy(accuracy).setR2(r2).build();
        return EpochMetrics.newBuilder().setKey(key).setEpoch(epoch).setModelVersion(epoch).setSeen(100)
                .setTrained(100).setHeldOut(0).setLate(0).setRefused(0).setPending(0).setTaskType(task)
                .setPrequential(p).setTrainingLoss(loss).setLearningRate(0.01).setRollingEpochs(1).setRolling(p)
                .setOverfitting(false).setUpdateRefused(false).setEarlyStopped(false).setPublished(published)
                .setFreshnessLagMs(lag).setEmittedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
    }

    @Test
    void tableShowsEachKeysLatestEpochAndChartsItsHistory() {
        MetricsBoard board = new MetricsBoard(null, TerminalChart.ASCII);
        for (int e = 1; e <= 8; e++) {
            board.add(metrics("model-b", e, "classification", 9 - e, 0.5 + e / 20.0, null, e == 8, 1500L));
        }
        board.add(metrics("model-a", 3, "regression", 0.25, null, 0.8125, false, null));
        String table = board.render();
        String[] lines = table.split("\n");
        assertThat(lines[0]).startsWith("KEY").contains("EPOCH", "VERSION", "EVENTS", "PREQUENTIAL", "LOSS", "LR",
                "PUBLISHED", "LAG");
        // Keys sorted; regression shows R², classification accuracy.
        assertThat(lines[1]).startsWith("model-a").contains(" 3 ", "R² 0.8125", "0.2500", "0.0100", " no ", " -");
        assertThat(lines[2]).startsWith("model-b").contains(" 8 ", "acc 0.9000", "1.0000", " yes ", "1.5s");
        // Loss 8..1 falls one level per epoch; accuracy rises the same way.
        assertThat(table).contains("loss #*+=:-._").contains("acc _.-:=+*#");
        assertThat(lines[lines.length - 1]).isEqualTo("2 keys, 9 epoch records");
    }

    @Test
    void keyFilterAndSkippedRecords() {
        MetricsBoard board = new MetricsBoard("model-a", TerminalChart.BLOCKS);
        board.add(metrics("model-a", 1, "classification", 0.5, 0.5, null, false, 20L));
        board.add(metrics("model-b", 1, "classification", 0.5, 0.5, null, false, 20L));
        board.skip();
        assertThat(board.render()).contains("model-a").doesNotContain("model-b").contains("20ms")
                .endsWith("1 keys, 1 epoch records, 1 records skipped (not EpochMetrics)\n");
    }
}
