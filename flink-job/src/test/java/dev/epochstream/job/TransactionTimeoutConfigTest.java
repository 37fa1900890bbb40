package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * An exactly-once transaction opens at one checkpoint's barrier and commits when the next checkpoint
 * completes; the broker aborts it, losing its records, once it is older than the producers'
 * transaction.timeout.ms. The job sets Flink's checkpoint timeout itself, and refuses at start-up a
 * configuration in which a transaction could stay open that long: (tolerable failed checkpoints + 1) ·
 * max(interval, checkpoint timeout + min-pause) + checkpoint timeout, plus 30 s for the commit.
 */
class TransactionTimeoutConfigTest {

    private static final long MINUTE = 60_000;

    private static JobConfig config(Map<String, String> extra) {
        return JobConfigs.logistic(extra);
    }

    /** The start-up error of {@code extra}, to assert on. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Map<String, String> extra) {
        return assertThatThrownBy(() -> config(extra)).isInstanceOf(ConfigException.class);
    }

    @Test
    void theJobSetsACheckpointTimeoutThatFitsTheDefaultTransactionTimeout() {
        // 10 s interval: a transaction may wait for two whole 4-minute checkpoints, 8 min + 30 s < 10 min
        JobConfig c = config(Map.of());
        assertThat(EpochstreamJob.flinkConfiguration(c).get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(4));
        assertThat(EpochstreamJob.sinkProducerProperties(c, DeliveryGuarantee.EXACTLY_ONCE).getProperty("transaction.timeout.ms"))
                .isEqualTo(Long.toString(10 * MINUTE));
    }

    @Test
    void aFlinkKeyOverridesTheCheckpointTimeoutAndIsChecked() {
        JobConfig c = config(Map.of("flink.execution.checkpointing.timeout", "3 min"));
        assertThat(c.checkpointTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(EpochstreamJob.flinkConfiguration(c).get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(3));
        // two 5-minute checkpoints reach the 10-minute transaction timeout; one interval plus one would not
        refused(Map.of("flink.execution.checkpointing.timeout", "5 min")).hasMessageStartingWith("checkpoint.interval: ")
                .hasMessageContaining("10m").hasMessageContaining("flink.execution.checkpointing.timeout")
                .hasMessageContaining("kafka.transaction.timeout.ms (600000)");
    }

    @Test
    void anIntervalIsRefusedFromWhereTheTransactionWouldOutliveItsTimeout() {
        // max(interval, 4 min) + 4 min + 30 s must stay below 10 min: the interval below 5 min 30 s
        long limit = 10 * MINUTE - 30_000 - 4 * MINUTE;
        assertThat(config(Map.of("checkpoint.interval", (limit - 1) + "ms")).checkpointInterval())
                .isEqualTo(Duration.ofMillis(limit - 1));
        refused(Map.of("checkpoint.interval", limit + "ms")).hasMessageStartingWith("checkpoint.interval: ")
                .hasMessageContaining("raise kafka.transaction.timeout.ms");
        // the interval Flink gets is the one checked, whichever key set it
        refused(Map.of("flink.execution.checkpointing.interval", limit + " ms")).hasMessageStartingWith("checkpoint.interval: ");
    }

    @Test
    void aLongerTransactionTimeoutAllowsALongerInterval() {
        JobConfig c = config(Map.of("checkpoint.interval", "6m", "kafka.transaction.timeout.ms", Long.toString(15 * MINUTE)));
        assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(EpochstreamJob.sinkProducerProperties(c, DeliveryGuarantee.EXACTLY_ONCE).getProperty("transaction.timeout.ms"))
                .isEqualTo(Long.toString(15 * MINUTE));
        refused(Map.of("checkpoint.interval", "6m")).hasMessageStartingWith("checkpoint.interval: ");
    }

    @Test
    void aShortTransactionTimeoutNeedsAShortCheckpointTimeout() {
        refused(Map.of("kafka.transaction.timeout.ms", "60000")).hasMessageStartingWith("checkpoint.interval: ");
        JobConfig c = config(Map.of("kafka.transaction.timeout.ms", "60000", "flink.execution.checkpointing.timeout", "14 s"));
        assertThat(c.checkpointTimeout()).isEqualTo(Duration.ofSeconds(14)); // 14 + 14 + 30 < 60
    }

    @Test
    void toleratedFailuresAndMinPauseLengthenTheWait() {
        // a tolerated failure passes the transaction on to the next checkpoint: 2 * 4 + 4 min
        refused(Map.of("flink.execution.checkpointing.tolerable-failed-checkpoints", "1")).hasMessageContaining("12m");
        // the next checkpoint starts no sooner than the min-pause after a whole one: 4 + 2 + 4 min
        refused(Map.of("flink.execution.checkpointing.min-pause", "2 min")).hasMessageContaining("10m");
    }

    @Test
    void badValuesNameTheirKey() {
        refused(Map.of("kafka.transaction.timeout.ms", "10m")).hasMessageStartingWith("kafka.transaction.timeout.ms: ");
        refused(Map.of("flink.execution.checkpointing.timeout", "soon")).hasMessageStartingWith("flink.execution.checkpointing.timeout: ");
    }
}
