package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two jobs on one broker with the same {@code kafka.group.id} (as two jobs left at the default are) and
 * their own topics run side by side: neither aborts the other's transactions. With transactional ids made of
 * the group id and the sink's name alone, the second job's start-up abort fenced the first job's open
 * transaction, and the first failed over (and, restarting, fenced the second).
 */
class SharedGroupIdITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobRuns.miniCluster(2);

    private static final int WINDOW = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void twoJobsWithOneGroupIdDoNotFenceEachOther() throws Exception {
        JobTopics a = JobTopics.create(KAFKA, 1);
        JobTopics b = JobTopics.create(KAFKA, 1);
        Map<String, String> settings = JobRuns.classifier("count:" + WINDOW, WINDOW);
        settings.put("kafka.group.id", "shared-" + a.events());
        ConceptStream stream = new ConceptStream(new String[] {"k"}, 3 * WINDOW, 0, 31);

        AttemptProbe.reset();
        try (RunningJob first = RunningJob.start(a.config(settings), "it-shared-group-a", SharedGroupIdITCase::probed)) {
            a.produce(stream.messages(0, WINDOW));
            assertThat(a.metrics(1, TIMEOUT)).as("the first job commits alone").hasSize(1);
            try (RunningJob second = RunningJob.start(b.config(settings), "it-shared-group-b", SharedGroupIdITCase::probed)) {
                b.produce(stream.messages(0, WINDOW));
                assertThat(b.metrics(1, TIMEOUT)).as("the second job commits").hasSize(1);
                // transactions the first job opened before and after the second one started: a fenced one fails it over
                a.produce(stream.messages(WINDOW, 3 * WINDOW));
                assertThat(a.metrics(3, TIMEOUT)).extracting(EpochMetrics::getEpoch).containsExactly(1L, 2L, 3L);
            }
        }
        assertThat(AttemptProbe.MAX_ATTEMPT.get()).as("no task of either job restarted").isZero();
        assertThat(AttemptProbe.OPENED.get()).as("both probes ran, once each").isEqualTo(2);
    }

    private static DataStream<LabelledEvent> probed(DataStream<LabelledEvent> events) {
        return events.map(new AttemptProbe()).returns(TypeInformation.of(LabelledEvent.class))
                .uid("attempt-probe").name("attempt probe");
    }
}
