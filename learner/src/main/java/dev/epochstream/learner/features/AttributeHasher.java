package dev.epochstream.learner.features;

import dev.epochstream.learner.data.Murmur3;
import java.util.Map;

/**
 * The hashing trick for string attributes ({@code features.hash-bits = B}): each attribute
 * {@code name=value} becomes a feature of value ±1 at column {@code h mod 2^B} with
 * {@code h = MurmurHash3_x86_32(UTF-8("name=value"), seed 0)} taken as unsigned, and the sign
 * {@code +1} when bit B of h is 0, else {@code -1} (Weinberger et al. 2009). Colliding attributes add up.
 * The columns follow the dense features.
 */
public final class AttributeHasher {
    private final int bits;
    private final int mask;

    public AttributeHasher(int bits) {
        if (bits < 1 || bits > 30) {
            throw new IllegalArgumentException("features.hash-bits must be in [1, 30], got " + bits);
        }
        this.bits = bits;
        this.mask = (1 << bits) - 1;
    }

    public int bits() {
        return bits;
    }

    public int columns() {
        return 1 << bits;
    }

    /** Column in [0, 2^B) of a hashed attribute. */
    public int column(int hash) {
        return hash & mask;
    }

    /** +1 or -1 from the bit above the column bits. */
    public double sign(int hash) {
        return ((hash >>> bits) & 1) == 0 ? 1.0 : -1.0;
    }

    public static int hash(String name, String value) {
        return Murmur3.hash32(name + "=" + value, 0);
    }

    /**
     * Writes the hashed features of {@code attributes} as sorted distinct columns into {@code columns}
     * and summed values into {@code values}; returns how many. The arrays need room for
     * {@code attributes.size()} entries.
     */
    public int encode(Map<String, String> attributes, int[] columns, double[] values) {
        int n = 0;
        if (attributes == null) {
            return 0;
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            int h = hash(a.getKey(), a.getValue());
            int c = column(h);
            double s = sign(h);
            // insertion into the sorted prefix; attribute maps are small
            int pos = n;
            while (pos > 0 && columns[pos - 1] > c) {
                pos--;
            }
            if (pos > 0 && columns[pos - 1] == c) {
                values[pos - 1] += s;
                continue;
            }
            System.arraycopy(columns, pos, columns, pos + 1, n - pos);
            System.arraycopy(values, pos, values, pos + 1, n - pos);
            columns[pos] = c;
            values[pos] = s;
            n++;
        }
        return n;
    }
}
