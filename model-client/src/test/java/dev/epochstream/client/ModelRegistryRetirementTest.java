package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.ModelSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tombstones a client remembers, so that a topic whose keys come and go does not grow its memory. */
class ModelRegistryRetirementTest {
    /** Remembers 4 retired keys, as the client's registry remembers ModelRegistry.MAX_RETIRED. */
    private final ModelRegistry registry = new ModelRegistry(Set.of(), 5, Clock.systemUTC(), 4);
    private final SnapshotValidator validator = new SnapshotValidator();

    @Test
    void aServedKeyReadsRetiredAndAKeyNeverServedDoesNot() {
        registry.retire("never-served", "t-0@1");
        assertThat(registry.isRetired("never-served")).isFalse();

        serve("a");
        registry.retire("a", "t-0@2");
        assertThat(registry.serving("a")).isNull();
        assertThat(registry.isRetired("a")).isTrue();

        serve("a"); // a snapshot after the tombstone brings the key back
        assertThat(registry.isRetired("a")).isFalse();
    }

    @Test
    void onlyTheLatestRetirementsAreRemembered() {
        int keys = 4 + 3;
        for (int i = 0; i < keys; i++) {
            registry.retire("k" + i, "t-0@" + i); // a registry that never served them: nothing is kept
        }
        assertThat(registry.isRetired("k0")).isFalse();

        ModelSnapshot s = TestModels.versions(TestModels.classifier(), "x", 1, 3).get(0);
        for (int i = 0; i < keys; i++) {
            String key = "k" + i;
            registry.offer(validator.validate(key, TestModels.encode(rekeyed(s, key)), "t-1@" + i), "t-1@" + i);
            registry.retire(key, "t-2@" + i);
        }
        assertThat(registry.isRetired("k0")).isFalse(); // forgotten: the three oldest
        assertThat(registry.isRetired("k2")).isFalse();
        assertThat(registry.isRetired("k3")).isTrue();
        assertThat(registry.isRetired("k" + (keys - 1))).isTrue();
    }

    private void serve(String key) {
        List<ModelSnapshot> versions = TestModels.versions(TestModels.classifier(), key, 2, 7);
        long next = registry.serving(key) == null ? 0 : 1;
        ModelSnapshot s = versions.get((int) next);
        ModelRegistry.Result r = registry.offer(validator.validate(key, TestModels.encode(s), "t-0@9"), "t-0@9");
        assertThat(r.rejection()).as("offer of %s", key).isNull();
    }

    private static ModelSnapshot rekeyed(ModelSnapshot s, String key) {
        return ModelSnapshot.newBuilder(s).setKey(key).build();
    }
}
