package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
