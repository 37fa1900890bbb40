package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One broker per test class, handed to every test; a fresh topic whenever a test asks. */
class EmbeddedKafkaExtensionITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .topic(TopicSpec.of("preset", 2))
            .build();

    /** The broker the first test to run saw; tests run in any order, later ones compare against it. */
    private static volatile EmbeddedKafka firstSeen;
    private static final Set<String> TOPICS_HANDED_OUT = ConcurrentHashMap.newKeySet();

    @Test
    void oneTestSeesTheClassBroker(EmbeddedKafka injected) throws Exception {
        assertSameBrokerAsOtherTests(injected);
        assertFreshTopics();
    }

    @Test
    void anotherTestSeesTheSameBroker(EmbeddedKafka injected) throws Exception {
        assertSameBrokerAsOtherTests(injected);
        assertFreshTopics();
    }

    @Test
    void presetTopicsExistBeforeTheFirstTest() throws Exception {
        try (Admin admin = KAFKA.kafka().adminClient()) {
            TopicDescription preset = admin.describeTopics(List.of("preset")).allTopicNames().get().get("preset");
            assertThat(preset.partitions()).hasSize(2);
        }
    }

    @Nested
    class WhenNested {
        @Test
        void nestedClassesShareTheEnclosingBroker(EmbeddedKafka injected) throws Exception {
            assertSameBrokerAsOtherTests(injected);
        }
    }

    private static synchronized void assertSameBrokerAsOtherTests(EmbeddedKafka injected) {
        assertThat(injected).isSameAs(KAFKA.kafka());
        if (firstSeen == null) {
            firstSeen = injected;
        }
        assertThat(injected).isSameAs(firstSeen);
        assertThat(injected.bootstrapServers()).isEqualTo(firstSeen.bootstrapServers());
    }

    /** Two topics per call: distinct from each other and from all handed out before, existing and empty. */
    private static void assertFreshTopics() throws Exception {
        String a = KAFKA.uniqueTopic("fresh");
        String b = KAFKA.uniqueTopic("fresh", 3);

        assertThat(a).startsWith("fresh-").isNotEqualTo(b);
        assertThat(TOPICS_HANDED_OUT.add(a)).as("%s handed out before", a).isTrue();
        assertThat(TOPICS_HANDED_OUT.add(b)).as("%s handed out before", b).isTrue();
        try (Admin admin = KAFKA.kafka().adminClient()) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(a, b)).allTopicNames().get();
            assertThat(described.get(a).partitions()).hasSize(1);
            assertThat(described.get(b).partitions()).hasSize(3);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(Map.of(
                    new TopicPartition(a, 0), OffsetSpec.latest(),
                    new TopicPartition(b, 2), OffsetSpec.latest())).all().get();
            assertThat(ends.values()).allSatisfy(end -> assertThat(end.offset()).isZero());
        }
    }
}
