package dev.epochstream.learner.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * MurmurHash3_x86_32 against published vectors (Appleby's SMHasher verification strings, Python mmh3),
 * each re-checked with an independent implementation, Guava's {@code Hashing.murmur3_32_fixed}.
 */
class Murmur3Test {

    @Test
    void publishedVectors() {
        assertThat(Murmur3.hash32("", 0)).isEqualTo(0);
        assertThat(Murmur3.hash32("", 1)).isEqualTo(0x514E28B7);
        assertThat(Murmur3.hash32("hello", 0)).isEqualTo(0x248BFA47); // mmh3.hash("hello") = 613153351
        assertThat(Murmur3.hash32("The quick brown fox jumps over the lazy dog", 0)).isEqualTo(0x2E4FF723);
    }

    @Test
    void everyTailLengthAndUtf8() {
        assertThat(Murmur3.hash32("a", 0)).isEqualTo(0x3C2569B2);
        assertThat(Murmur3.hash32("ab", 0)).isEqualTo(0x9BBFD75F);
        assertThat(Murmur3.hash32("abc", 0)).isEqualTo(0xB3DD93FA);
        assertThat(Murmur3.hash32("abcd", 0)).isEqualTo(0x43ED676A);
        assertThat(Murmur3.hash32("é", 0)).isEqualTo(0x10110787); // two UTF-8 bytes C3 A9
        assertThat(Murmur3.hash32("color=red", 0)).isEqualTo(0xA0AA902E);
        assertThat(Murmur3.hash32("é".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(Murmur3.hash32("é", 0));
    }
}
