package dev.epochstream.learner.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Columns and signs from hand-decoded MurmurHash3_x86_32 values (computed with Guava's murmur3_32_fixed):
 * with B = 3, column = h &amp; 7 and the sign is − when bit 3 of h is set.
 * <pre>
 *   color=red    0xA0AA902E  low byte 0010 1110: column 6, bit 3 = 1 → −1
 *   shape=round  0x41FD690C  low byte 0000 1100: column 4, bit 3 = 1 → −1
 *   size=L       0x3570113C  low byte 0011 1100: column 4, bit 3 = 1 → −1
 *   city=Oslo    0x628367A1  low byte 1010 0001: column 1, bit 3 = 0 → +1
 *   shape=square 0x43CEB571  low byte 0111 0001: column 1, bit 3 = 0 → +1
 * </pre>
 */
class AttributeHasherTest {
    private final AttributeHasher hasher = new AttributeHasher(3);

    @Test
    void columnAndSignOfKnownHashes() {
        assertThat(AttributeHasher.hash("color", "red")).isEqualTo(0xA0AA902E);
        assertThat(hasher.column(0xA0AA902E)).isEqualTo(6);
        assertThat(hasher.sign(0xA0AA902E)).isEqualTo(-1.0);
        assertThat(hasher.column(0x628367A1)).isEqualTo(1);
        assertThat(hasher.sign(0x628367A1)).isEqualTo(1.0);
        assertThat(hasher.columns()).isEqualTo(8);
        // B = 4: column 0xE = 14, bit 4 of 0x2E is 0 → +1
        AttributeHasher four = new AttributeHasher(4);
        assertThat(four.column(0xA0AA902E)).isEqualTo(14);
        assertThat(four.sign(0xA0AA902E)).isEqualTo(1.0);
    }

    @Test
    void encodesSortedDistinctColumnsWithCollisionsAdded() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("color", "red");
        attrs.put("shape", "round");
        attrs.put("size", "L");
        attrs.put("city", "Oslo");
        int[] cols = new int[4];
        double[] vals = new double[4];
        int n = hasher.encode(attrs, cols, vals);
        assertThat(n).isEqualTo(3);
        assertThat(cols).startsWith(1, 4, 6);
        assertThat(vals).startsWith(1.0, -2.0, -1.0);
    }

    @Test
    void noAttributesAndBadBits() {
        assertThat(hasher.encode(null, new int[0], new double[0])).isZero();
        assertThat(hasher.encode(Map.of(), new int[0], new double[0])).isZero();
        assertThatThrownBy(() -> new AttributeHasher(0)).hasMessageContaining("features.hash-bits");
        assertThatThrownBy(() -> new AttributeHasher(31)).hasMessageContaining("features.hash-bits");
    }
}
