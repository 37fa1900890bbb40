package dev.epochstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.KnownSchemas;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader of current-schema {@link LabelledEvent} bodies against Avro's own reader (the
 * same codec with the fast path off): equal records for every valid event, and for damaged bytes the same
 * verdict, because the fast reader either reads exactly what Avro reads or leaves the bytes to Avro.
 */
class LabelledEventBodyTest {

    private final AvroSingleObjectCodec<LabelledEvent> fast = AvroSingleObjectCodec.forClass(LabelledEvent.class);
    private final AvroSingleObjectCodec<LabelledEvent> avro = new AvroSingleObjectCodec<>(LabelledEvent.class,
            KnownSchemas.versionsOf(LabelledEvent.getClassSchema()), false);

    @Test
    void everyKindOfValidEventReadsAsAvroReadsIt() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = fast.encode(randomEvent(rnd, true));
            LabelledEvent read = new LabelledEventBody().read(bytes, 10, bytes.length);

            assertThat(read).as("the fast path takes event %d", i).isNotNull();
            assertSameRecord(read, avro.decode(bytes).value());
            assertSameRecord(fast.decode(bytes).value(), read);
        }
    }

    @Test
    void damagedBytesGetTheSameVerdictAsFromAvro() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int i = 0; i < 300; i++) {
            byte[] good = fast.encode(randomEvent(rnd, false));
            for (int cut = 0; cut < good.length; cut++) {
                assertSameVerdict(Arrays.copyOf(good, cut));
            }
            byte[] longer = Arrays.copyOf(good, good.length + 1 + rnd.nextInt(3));
            assertSameVerdict(longer);
            for (int m = 0; m < 30; m++) {
                byte[] bad = good.clone();
                int at = 10 + rnd.nextInt(bad.length - 10);
                bad[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : bad[at] ^ (1 << rnd.nextInt(8)));
                assertSameVerdict(bad);
            }
        }
    }

    private void assertSameVerdict(byte[] bytes) {
        DecodeResult<LabelledEvent> mine = fast.decode(bytes);
        DecodeResult<LabelledEvent> theirs = avro.decode(bytes);
        assertThat(mine.isOk()).as(() -> "verdict on " + Arrays.toString(bytes)).isEqualTo(theirs.isOk());
        if (theirs.isOk()) {
            assertSameRecord(mine.value(), theirs.value());
        } else {
            assertThat(mine.reason()).isEqualTo(theirs.reason());
            assertThat(mine.message()).isEqualTo(theirs.message());
        }
    }

    /**
     * Same field values, same NaN payloads, same map iteration order: the same bytes when encoded again
     * (Avro's record equality calls NaN unequal to itself, so it cannot say this).
     */
    private void assertSameRecord(LabelledEvent actual, LabelledEvent expected) {
        assertThat(actual.getAttributes() == null ? null : actual.getAttributes().getClass())
                .isEqualTo(expected.getAttributes() == null ? null : expected.getAttributes().getClass());
        assertThat(actual.getFeatures().getClass()).isEqualTo(expected.getFeatures().getClass());
        assertThat(fast.encode(actual)).isEqualTo(fast.encode(expected));
    }

    /** With {@code large}, one event in four has hundreds of features (several Avro blocks for some writers). */
    private static LabelledEvent randomEvent(SplittableRandom rnd, boolean large) {
        LabelledEvent.Builder b = LabelledEvent.newBuilder()
                .setId(text(rnd))
                .setKey(text(rnd))
                .setTime(Instant.ofEpochMilli(rnd.nextLong(-1L << 45, 1L << 45)))
                .setWeight(rnd.nextInt(4) == 0 ? 1.0 : value(rnd));
        int n = large && rnd.nextInt(4) == 0 ? rnd.nextInt(200, 1_500) : rnd.nextInt(0, 40);
        if (rnd.nextBoolean()) {
            b.setFeatures(doubles(rnd, n));
        } else {
            List<Integer> indices = new ArrayList<>();
            int at = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                indices.add(at);
                at += 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100_000);
            }
            b.setFeatures(new SparseFeatures(rnd.nextBoolean() ? at : Integer.MAX_VALUE - rnd.nextInt(5), indices,
                    doubles(rnd, n)));
        }
        switch (rnd.nextInt(4)) {
            case 0 -> b.setLabel(null);
            case 1 -> b.setLabel(value(rnd));
            case 2 -> b.setLabel(rnd.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE));
            default -> b.setLabel(doubles(rnd, rnd.nextInt(0, 12)));
        }
        if (rnd.nextBoolean()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = rnd.nextInt(0, 20); i > 0; i--) {
                attributes.put(text(rnd), text(rnd));
            }
            b.setAttributes(attributes);
        } else {
            b.setAttributes(null);
        }
        return b.build();
    }

    private static List<Double> doubles(SplittableRandom rnd, int n) {
        List<Double> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(value(rnd));
        }
        return out;
    }

    /** Ordinary values, and the odd ones a double can hold (the reader must keep their bits). */
    private static double value(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(0x7ff8_0000_dead_beefL); // a NaN with a payload
            case 2 -> -0.0;
            case 3 -> Double.POSITIVE_INFINITY;
            case 4 -> Double.MIN_VALUE;
            default -> rnd.nextDouble(-1e6, 1e6);
        };
    }

    private static String text(SplittableRandom rnd) {
        String[] parts = {"", "a", "model-7", "é", "日本", "\uD83D\uDE00", "x".repeat(300), "k=v", "\u0000"};
        StringBuilder s = new StringBuilder();
        for (int i = rnd.nextInt(0, 4); i > 0; i--) {
            s.append(parts[rnd.nextInt(parts.length)]);
        }
        return s.toString();
    }
}
