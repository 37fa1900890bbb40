package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * The producer settings of the job's sinks: exactly-once sinks batch (their records are visible only at the
 * checkpoint's commit, and the writer flushes then), at-least-once sinks keep the client's linger (their
 * records are read as soon as they are sent), and every {@code kafka.*} key the user gives wins.
 */
class SinkProducerPropertiesTest {

    private static JobConfig config(Map<String, String> extra) {
        return JobConfigs.logistic(extra);
    }

    @Test
    void exactlyOnceSinksLingerAndBatchWhileAtLeastOnceSinksKeepTheClientsLinger() {
        Properties eo = EpochstreamJob.sinkProducerProperties(config(Map.of()), DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(eo.getProperty("linger.ms")).isEqualTo("100");
        assertThat(eo.getProperty("batch.size")).isEqualTo(Integer.toString(256 * 1024));
        assertThat(eo.getProperty("compression.type")).isEqualTo("lz4");
        assertThat(eo).doesNotContainKey("group.id");

        Properties alo = EpochstreamJob.sinkProducerProperties(config(Map.of()), DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(alo).doesNotContainKeys("linger.ms", "batch.size");
        assertThat(alo.getProperty("compression.type")).isEqualTo("lz4");
    }

    @Test
    void theUsersKafkaKeysWin() {
        Properties p = EpochstreamJob.sinkProducerProperties(config(Map.of("kafka.linger.ms", "7",
                "kafka.batch.size", "32768", "kafka.compression.type", "zstd")), DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(p.getProperty("linger.ms")).isEqualTo("7");
        assertThat(p.getProperty("batch.size")).isEqualTo("32768");
        assertThat(p.getProperty("compression.type")).isEqualTo("zstd");
    }

    @Test
    void aBatchIsNeverLargerThanTheRecordLimit() {
        Properties p = EpochstreamJob.sinkProducerProperties(config(Map.of("kafka.max.request.size", "100000")),
                DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(p.getProperty("max.request.size")).isEqualTo("100000");
        assertThat(p.getProperty("batch.size")).isEqualTo("100000");
    }
}
