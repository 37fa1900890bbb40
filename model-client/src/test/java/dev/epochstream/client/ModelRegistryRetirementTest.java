package dev.epochstream.client;

import static dev.epochstream.client.ModelRegistry.NO_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.ModelSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which tombstones a client remembers, so that a topic whose keys come and go does not grow its memory, and how their
 * timestamps keep a snapshot written before a retirement from serving after it.
 */
class ModelRegistryRetirementTest {
    /** Remembers 4 retired keys, as the client's registry remembers ModelRegistry.MAX_RETIRED. */
    private final ModelRegistry registry = new ModelRegistry(Set.of(), 5, Clock.systemUTC(), 4);
    private final SnapshotValidator validator = new SnapshotValidator();

    @Test
    void aServedKeyReadsRetiredAndAKeyNeverServedDoesNot() {
        registry.retire("never-served", NO_TIMESTAMP, "t-0@1");
        assertThat(registry.isRetired("never-served")).isFalse();

        serve("a");
        registry.retire("a", NO_TIMESTAMP, "t-0@2");
        assertThat(registry.serving("a")).isNull();
        assertThat(registry.isRetired("a")).isTrue();

        serve("a"); // a snapshot after the tombstone brings the key back
        assertThat(registry.isRetired("a")).isFalse();
    }

    @Test
    void onlyTheLatestRetirementsAreRemembered() {
        int keys = 4 + 3;
        for (int i = 0; i < keys; i++) {
            registry.retire("k" + i, NO_TIMESTAMP, "t-0@" + i); // a registry that never served them: nothing is kept
        }
        assertThat(registry.isRetired("k0")).isFalse();

        ModelSnapshot s = TestModels.versions(TestModels.classifier(), "x", 1, 3).get(0);
        for (int i = 0; i < keys; i++) {
            String key = "k" + i;
            registry.offer(validator.validate(key, TestModels.encode(rekeyed(s, key)), "t-1@" + i), NO_TIMESTAMP,
                    "t-1@" + i);
            registry.retire(key, NO_TIMESTAMP, "t-2@" + i);
        }
        assertThat(registry.isRetired("k0")).isFalse(); // forgotten: the three oldest
        assertThat(registry.isRetired("k2")).isFalse();
        assertThat(registry.isRetired("k3")).isTrue();
        assertThat(registry.isRetired("k" + (keys - 1))).isTrue();
    }

    @Test
    void aSnapshotWrittenBeforeTheTombstoneIsRefusedAndOneWrittenAfterServes() {
        List<ModelSnapshot> k = TestModels.versions(TestModels.classifier(), "k", 2, 7);
        registry.retire("k", 100, "t-1@0"); // read first, from the partition the key moved to

        ModelRegistry.Result stale = offer(k.get(1), 90, "t-0@1"); // left in the key's former partition
        assertThat(stale.rejection()).isNotNull();
        assertThat(stale.rejection().reason()).isEqualTo(RejectReason.RETIRED);
        assertThat(stale.rejection().version()).isEqualTo(2);
        assertThat(stale.rejection().source()).isEqualTo("t-0@1");
        assertThat(stale.rejection().message()).contains("1970-01-01T00:00:00.090Z", "1970-01-01T00:00:00.100Z");
        assertThat(offer(k.get(0), 100, "t-0@0").rejection().reason()).as("written at the same millisecond")
                .isEqualTo(RejectReason.RETIRED);
        assertThat(registry.serving("k")).isNull();
        assertThat(registry.rejectedByReason()).containsEntry(RejectReason.RETIRED, 2L);
        assertThat(registry.rejectedCount()).isEqualTo(2);

        assertThat(offer(k.get(0), 110, "t-1@1").rejection()).isNull(); // written after: the key starts afresh
        assertThat(registry.serving("k").version()).isEqualTo(1);
    }

    @Test
    void aStaleHigherVersionDoesNotReplaceTheModelTheKeyCameBackWith() {
        ModelSnapshot v1 = TestModels.versions(TestModels.classifier(), "k", 1, 7).get(0);
        ModelSnapshot v5 = TestModels.withVersion(TestModels.versions(TestModels.classifier(), "k", 1, 8).get(0), 5);
        registry.retire("k", 100, "t-1@0");
        assertThat(offer(v1, 120, "t-1@1").rejection()).isNull(); // back after its retirement: versions restart

        ModelRegistry.Result stale = offer(v5, 90, "t-0@4");
        assertThat(stale.rejection()).isNotNull();
        assertThat(stale.rejection().reason()).isEqualTo(RejectReason.RETIRED);
        assertThat(registry.serving("k").version()).isEqualTo(1);
        assertThat(registry.isRetired("k")).isFalse();
    }

    @Test
    void theLatestTombstoneOfAKeyCountsWhateverTheOrderTheyAreReadIn() {
        List<ModelSnapshot> k = TestModels.versions(TestModels.classifier(), "k", 1, 7);
        registry.retire("k", 100, "t-1@0");
        registry.retire("k", 50, "t-0@2"); // an older tombstone from the former partition, read later
        assertThat(offer(k.get(0), 90, "t-0@1").rejection().reason()).isEqualTo(RejectReason.RETIRED);
        assertThat(registry.serving("k")).isNull();
    }

    @Test
    void keysNeverRetiredAndSnapshotsWithoutATimeAreNotChecked() {
        List<ModelSnapshot> k = TestModels.versions(TestModels.classifier(), "k", 2, 7);
        List<ModelSnapshot> other = TestModels.versions(TestModels.classifier(), "other", 1, 9);
        registry.retire("k", 100, "t-1@0");

        assertThat(offer(other.get(0), 10, "t-0@0").rejection()).isNull();
        assertThat(registry.serving("other").version()).isEqualTo(1);
        assertThat(offer(k.get(0), NO_TIMESTAMP, "snapshot.avro").rejection()).isNull(); // a file: not ordered
        assertThat(registry.serving("k").version()).isEqualTo(1);
        assertThat(registry.rejectedCount()).isZero();
    }

    @Test
    void aForgottenRetirementNoLongerRefuses() {
        ModelSnapshot s = TestModels.versions(TestModels.classifier(), "x", 1, 3).get(0);
        for (int i = 0; i < 5; i++) { // one more than the registry remembers
            registry.retire("k" + i, 100, "t-1@" + i);
        }
        assertThat(offer(rekeyed(s, "k0"), 90, "t-0@0").rejection()).isNull();
        assertThat(offer(rekeyed(s, "k1"), 90, "t-0@1").rejection().reason()).isEqualTo(RejectReason.RETIRED);
    }

    private ModelRegistry.Result offer(ModelSnapshot s, long timestampMillis, String source) {
        return registry.offer(validator.validate(s.getKey(), TestModels.encode(s), source), timestampMillis, source);
    }

    private void serve(String key) {
        List<ModelSnapshot> versions = TestModels.versions(TestModels.classifier(), key, 2, 7);
        long next = registry.serving(key) == null ? 0 : 1;
        ModelRegistry.Result r = offer(versions.get((int) next), NO_TIMESTAMP, "t-0@9");
        assertThat(r.rejection()).as("offer of %s", key).isNull();
    }

    private static ModelSnapshot rekeyed(ModelSnapshot s, String key) {
        return ModelSnapshot.newBuilder(s).setKey(key).build();
    }
}
