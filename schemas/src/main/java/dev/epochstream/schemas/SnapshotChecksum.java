package dev.epochstream.schemas;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * The checksum of a {@link ModelSnapshot}'s parameters: CRC-32C ({@link CRC32C}) over, for each layer in
 * order, every weight (row-major [out][in]) then every bias, each written as the 8 bytes little-endian
 * of {@link Double#doubleToRawLongBits}. The value is the unsigned 32-bit CRC in a long. Raw bits (not
 * {@code doubleToLongBits}) so that any NaN payload change is detected too.
 */
public final class SnapshotChecksum {

    /** Writes a long as 8 little-endian bytes at any offset of a byte array. */
    private static final VarHandle LITTLE_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Doubles laid out per {@link CRC32C#update} call: few large calls instead of one per double. */
    private static final int CHUNK = 256;

    private SnapshotChecksum() {
    }

    /** The checksum of the snapshot's parameters (its own {@code checksum} field is not read). */
    public static long compute(ModelSnapshot snapshot) {
        return compute(snapshot.getParameters());
    }

    /** The checksum of the given layers' parameters. */
    public static long compute(List<LayerParameters> layers) {
        CRC32C crc = new CRC32C();
        // CRC-32C is a stream: cutting the bytes into chunks does not change it.
        byte[] chunk = new byte[8 * CHUNK];
        for (int l = 0; l < layers.size(); l++) {
            LayerParameters layer = layers.get(l);
            update(crc, layer.getWeights(), chunk);
            update(crc, layer.getBiases(), chunk);
        }
        return crc.getValue();
    }

    /** True when the snapshot's {@code checksum} field matches its parameters. */
    public static boolean matches(ModelSnapshot snapshot) {
        return snapshot.getChecksum() == compute(snapshot);
    }

    /** Feeds the raw bits of {@code values}, 8 bytes little-endian each, through {@code chunk} to {@code crc}. */
    private static void update(CRC32C crc, List<Double> values, byte[] chunk) {
        PrimitivesArrays.DoubleArray doubles = values instanceof PrimitivesArrays.DoubleArray d ? d : null;
        int n = values.size();
        int perChunk = chunk.length / 8;
        for (int from = 0; from < n; from += perChunk) {
            int to = Math.min(n, from + perChunk);
            for (int i = from; i < to; i++) {
                double v = doubles != null ? doubles.getDouble(i) : values.get(i);
                LITTLE_ENDIAN_LONGS.set(chunk, 8 * (i - from), Double.doubleToRawLongBits(v));
            }
            crc.update(chunk, 0, 8 * (to - from));
        }
    }
}
