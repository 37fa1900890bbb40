package dev.epochstream.schemas;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * The checksum of a {@link ModelSnapshot}'s parameters: CRC-32C ({@link CRC32C}) over, for each layer in
 * order, every weight (row-major [out][in]) then every bias, each written as the 8 bytes little-endian
 * of {@link Double#doubleToRawLongBits}. The value is the unsigned 32-bit CRC in a long. Raw bits (not
 * {@code doubleToLongBits}) so that any NaN payload change is detected too.
 */
public final class SnapshotChecksum {

    private SnapshotChecksum() {
    }

    /** The checksum of the snapshot's parameters (its own {@code checksum} field is not read). */
    public static long compute(ModelSnapshot snapshot) {
        return compute(snapshot.getParameters());
    }

    /** The checksum of the given layers' parameters. */
    public static long compute(List<LayerParameters> layers) {
        CRC32C crc = new CRC32C();
        byte[] bytes = new byte[8];
        for (int l = 0; l < layers.size(); l++) {
            LayerParameters layer = layers.get(l);
            update(crc, layer.getWeights(), bytes);
            update(crc, layer.getBiases(), bytes);
        }
        return crc.getValue();
    }

    /** True when the snapshot's {@code checksum} field matches its parameters. */
    public static boolean matches(ModelSnapshot snapshot) {
        return snapshot.getChecksum() == compute(snapshot);
    }

    private static void update(CRC32C crc, List<Double> values, byte[] bytes) {
        for (int i = 0; i < values.size(); i++) {
            long bits = Double.doubleToRawLongBits(values.get(i));
            for (int b = 0; b < 8; b++) {
                bytes[b] = (byte) (bits >>> (8 * b));
            }
            crc.update(bytes, 0, 8);
        }
    }
}
