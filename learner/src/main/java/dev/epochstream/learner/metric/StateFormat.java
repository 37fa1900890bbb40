package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Shared pieces of the metric state encodings: a leading format byte, and doubles written as their raw
 * IEEE bits so that decoding is bit-identical (NaN payloads included, unlike {@code writeDouble}).
 */
final class StateFormat {

    private StateFormat() {
    }

    /** Writes the leading format byte. */
    static void writeVersion(DataOutput out, int version) throws IOException {
        out.writeByte(version);
    }

    /**
     * Reads the leading format byte and refuses anything but {@code expected}: an encoding written by a
     * newer build (or bytes of another kind) must be rejected, never half-read.
     */
    static void readVersion(DataInput in, int expected, String what) throws IOException {
        int version = in.readUnsignedByte();
        if (version != expected) {
            throw new IllegalArgumentException("unknown " + what + " state format version " + version
                    + " (this build reads version " + expected + ")");
        }
    }

    static void writeDouble(DataOutput out, double v) throws IOException {
        out.writeLong(Double.doubleToRawLongBits(v));
    }

    static double readDouble(DataInput in) throws IOException {
        return Double.longBitsToDouble(in.readLong());
    }

    static void writeDoubles(DataOutput out, double[] values) throws IOException {
        for (double v : values) {
            writeDouble(out, v);
        }
    }

    static void readDoubles(DataInput in, double[] into) throws IOException {
        for (int i = 0; i < into.length; i++) {
            into[i] = readDouble(in);
        }
    }

    /** Reads a count and refuses a negative one, which no valid state holds. */
    static long readCount(DataInput in, String what) throws IOException {
        long n = in.readLong();
        if (n < 0) {
            throw new IllegalArgumentException("corrupt " + what + " state: negative count " + n);
        }
        return n;
    }

    /** Reads a dimension (classes, outputs, epochs) and refuses one below {@code min}. */
    static int readDimension(DataInput in, int min, String what, String name) throws IOException {
        int n = in.readInt();
        if (n < min) {
            throw new IllegalArgumentException("corrupt " + what + " state: " + name + " " + n + " < " + min);
        }
        return n;
    }

    /** True when the two doubles have the same bits (the equality the encodings promise). */
    static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!sameBits(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }
}
