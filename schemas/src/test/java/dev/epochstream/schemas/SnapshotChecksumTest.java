package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;

class SnapshotChecksumTest {

    /** Bit-by-bit CRC-32C (reflected Castagnoli polynomial 0x82F63B78), written independently of CRC32C. */
    private static long crc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }

    @Test
    void referenceCrcMatchesTheStandardCheckValue() {
        assertThat(crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283L);
    }

    @Test
    void checksumIsCrc32cOfWeightsThenBiasesLittleEndianPerLayer() {
        LayerParameters first = new LayerParameters(2, 1, List.of(0.5, -1.25), List.of(0.0, -0.0));
        LayerParameters second = new LayerParameters(1, 2, List.of(3.0, Double.MIN_VALUE), List.of(1e-3));
        // Expected bytes laid out by hand: layer 1 weights, layer 1 biases, layer 2 weights, layer 2 biases.
        ByteBuffer expected = ByteBuffer.allocate(7 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : new double[] {0.5, -1.25, 0.0, -0.0, 3.0, Double.MIN_VALUE, 1e-3}) {
            expected.putLong(Double.doubleToRawLongBits(d));
        }

        assertThat(SnapshotChecksum.compute(List.of(first, second))).isEqualTo(crc32c(expected.array()));
    }

    @Test
    void littleEndianByteOrderIsPinned() {
        // 1.0 = 0x3FF0000000000000: little-endian bytes 00 00 00 00 00 00 F0 3F.
        byte[] bytes = {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F};
        assertThat(SnapshotChecksum.compute(List.of(new LayerParameters(1, 1, List.of(1.0), List.of()))))
                .isEqualTo(crc32c(bytes));
    }

    @Test
    void emptyParametersHaveTheEmptyCrc() {
        assertThat(SnapshotChecksum.compute(List.of())).isZero();
    }

    @Test
    void signOfZeroAndLayerBoundariesChangeTheChecksum() {
        long plus = SnapshotChecksum.compute(List.of(new LayerParameters(1, 1, List.of(0.0), List.of(1.0))));
        long minus = SnapshotChecksum.compute(List.of(new LayerParameters(1, 1, List.of(-0.0), List.of(1.0))));
        assertThat(plus).isNotEqualTo(minus);
    }

    @Test
    void randomLayersOfAnyLengthHaveTheCrcOfTheirBytesLaidOutByHand() {
        // lengths around multiples of the chunk (256 doubles) the checksum feeds CRC32C with; Avro's primitive
        // double lists (as ModelSnapshots.of and the decoder build them) and plain lists give the same value
        SplittableRandom random = new SplittableRandom(11);
        int[] lengths = {0, 1, 3, 7, 255, 256, 257, 1023, 1024, 1025, 2049, 3001};
        for (int round = 0; round < 20; round++) {
            List<LayerParameters> primitive = new ArrayList<>();
            List<LayerParameters> boxed = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            for (int l = random.nextInt(0, 4); l > 0; l--) {
                double[] weights = values(random, lengths[random.nextInt(lengths.length)]);
                double[] biases = values(random, lengths[random.nextInt(lengths.length)]);
                primitive.add(new LayerParameters(biases.length, 1, primitive(weights), primitive(biases)));
                boxed.add(new LayerParameters(biases.length, 1, boxed(weights), boxed(biases)));
                all.addAll(boxed(weights));
                all.addAll(boxed(biases));
            }
            ByteBuffer expected = ByteBuffer.allocate(8 * all.size());
            for (double d : all) {
                long bits = Double.doubleToRawLongBits(d);
                for (int b = 0; b < 8; b++) {
                    expected.put((byte) (bits >>> (8 * b))); // little-endian, written out
                }
            }
            long crc = crc32c(expected.array());

            assertThat(SnapshotChecksum.compute(primitive)).as("round %d", round).isEqualTo(crc);
            assertThat(SnapshotChecksum.compute(boxed)).as("round %d", round).isEqualTo(crc);
        }
    }

    /** Ordinary values mixed with NaN payloads, signed zeros, infinities and arbitrary bits. */
    private static double[] values(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (random.nextInt(6)) {
                case 0 -> Double.longBitsToDouble(0x7FF0000000000001L | random.nextLong(1L << 51));
                case 1 -> -0.0;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> Double.longBitsToDouble(random.nextLong());
                default -> random.nextDouble(-3, 3);
            };
        }
        return out;
    }

    private static List<Double> primitive(double[] values) {
        PrimitivesArrays.DoubleArray out =
                new PrimitivesArrays.DoubleArray(values.length, LayerParameters.SCHEMA$.getField("weights").schema());
        for (int i = 0; i < values.length; i++) {
            out.add(i, values[i]);
        }
        return out;
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
